package org.nas4j.core.space;

/**
 * Specifications of the operations that the built-in spaces share. Batch norm is counted with its affine
 * parameters (2 per channel) where {@code affine} is true, as the papers' evaluation networks do.
 *
 * <pre>{@code
 * OpSpec conv = OpSpecs.reluConvBn("nor_conv_3x3", 3, true);
 * conv.parameters(16, 16, 1);   // 16*16*9 + 2*16 = 2336
 * }</pre>
 */
public final class OpSpecs {
    private OpSpecs() {
    }

    /** The zero op ("none"): outputs zeros of the output shape; no parameters, no multiply-adds. */
    public static OpSpec zero(String name) {
        return new Formula(name, 1, 1, 0) {
            @Override
            public long parameters(int in, int out, int stride) {
                return 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return 0;
            }
        };
    }

    /** The identity ("skip_connect" at stride 1). */
    public static OpSpec identity(String name) {
        return zero(name);
    }

    /** A pooling op with a {@code kernel} window, padding kernel/2; no parameters; counted as no multiply-adds. */
    public static OpSpec pool(String name, int kernel) {
        return new Formula(name, kernel, 1, kernel / 2) {
            @Override
            public long parameters(int in, int out, int stride) {
                return 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return 0;
            }
        };
    }

    /** ReLU, convolution {@code kernel x kernel} without bias, batch norm. */
    public static OpSpec reluConvBn(String name, int kernel, boolean affine) {
        return new Formula(name, kernel, 1, kernel / 2) {
            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * out * kernel * kernel + bn(out, affine);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                return (long) o.height() * o.width() * out * in(input) * kernel * kernel;
            }
        };
    }

    /**
     * DARTS separable convolution: (ReLU, depthwise k x k, pointwise 1x1, BN) twice; the first depthwise has the
     * stride, the first pointwise keeps the input channels, the second maps to the output channels.
     */
    public static OpSpec separableConv(String name, int kernel, boolean affine) {
        return new Formula(name, kernel, 1, kernel / 2) {
            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * kernel * kernel + (long) in * in + bn(in, affine)
                        + (long) in * kernel * kernel + (long) in * out + bn(out, affine);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long hw = (long) o.height() * o.width();
                int c = input.channels();
                return hw * c * kernel * kernel + hw * c * c + hw * c * kernel * kernel + hw * c * out;
            }
        };
    }

    /** DARTS dilated convolution: ReLU, depthwise k x k with {@code dilation}, pointwise 1x1, BN. */
    public static OpSpec dilatedConv(String name, int kernel, int dilation, boolean affine) {
        return new Formula(name, kernel, dilation, dilation * (kernel - 1) / 2) {
            @Override
            public long parameters(int in, int out, int stride) {
                return (long) in * kernel * kernel + (long) in * out + bn(out, affine);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long hw = (long) o.height() * o.width();
                int c = input.channels();
                return hw * c * kernel * kernel + hw * c * out;
            }
        };
    }

    /**
     * DARTS factorized reduce: ReLU, two 1x1 stride-2 convolutions to {@code out/2} channels each (the second on
     * the input shifted by one pixel), concatenated, BN.
     */
    public static OpSpec factorizedReduce(String name, boolean affine) {
        return new Formula(name, 1, 1, 0) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return new Shape(out, (input.height() + 1) / 2, (input.width() + 1) / 2);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                if (out % 2 != 0) {
                    throw new IllegalArgumentException("factorized reduce needs an even outChannels, but was " + out);
                }
                return (long) in * out + bn(out, affine);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                return (long) o.height() * o.width() * out * input.channels();
            }
        };
    }

    /** Batch-norm parameters for {@code channels}: 2 per channel when affine, else 0. */
    public static long bn(int channels, boolean affine) {
        return affine ? 2L * channels : 0L;
    }

    private static int in(Shape input) {
        return input.channels();
    }

    /** Shape rule of a window op with fixed kernel, dilation and padding; costs given by the subclass. */
    private abstract static class Formula implements OpSpec {
        private final String name;
        private final int kernel;
        private final int dilation;
        private final int padding;

        Formula(String name, int kernel, int dilation, int padding) {
            this.name = name;
            this.kernel = kernel;
            this.dilation = dilation;
            this.padding = padding;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Shape output(Shape input, int outChannels, int stride) {
            return new Shape(outChannels, Shape.convolved(input.height(), kernel, stride, padding, dilation),
                    Shape.convolved(input.width(), kernel, stride, padding, dilation));
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
