package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Shape;

/**
 * The cost model of the evaluation network of the DARTS code ({@code model.py}: {@code NetworkCIFAR},
 * {@code NetworkImageNet}) for
 * a {@link Genotype}, laid out as data with exact parameter and multiply-add counts; nothing trainable is built.
 *
 * <ul>
 *   <li>Stem. CIFAR: 3x3 convolution 3 -> 3C and BN. ImageNet: stem0 = 3x3 stride-2 convolution 3 -> C/2, BN,
 *       ReLU, 3x3 stride-2 convolution C/2 -> C, BN; stem1 = ReLU, 3x3 stride-2 convolution C -> C, BN (input 0 of
 *       the first cell is stem0's output, input 1 is stem1's, so the first cell treats input 0 as reduced).</li>
 *   <li>{@code layers} cells; cells {@code layers/3} and {@code 2*layers/3} are reduction cells and double the
 *       channels. A cell's inputs are preprocessed to its channels {@code C} by ReLU-1x1 conv-BN, or by a
 *       factorized reduce for input 0 after a reduction cell; a cell outputs {@code concat.size() * C} channels.</li>
 *   <li>The auxiliary head, when enabled, reads the output of cell {@code 2*layers/3}. CIFAR: ReLU, 5x5 average
 *       pooling stride 3, 1x1 conv to 128, BN, ReLU, 2x2 conv to 768, BN, ReLU, linear. ImageNet: the same with
 *       pooling stride 2 and without the second BN (as the reference, which kept its typo).</li>
 *   <li>Global average pooling and a linear classifier (with bias).</li>
 * </ul>
 *
 * <p>{@link #parameters()} is the sum of {@code p.numel()} over the reference model's parameters (the
 * auxiliary head counted when enabled); {@link #parametersWithoutAuxiliary()} is what the reference logs as
 * "param size" ({@code utils.count_parameters_in_MB}, which skips the auxiliary head). Multiply-adds count
 * convolutions and linear layers for one sample at inference, without the auxiliary head (pooling, BN and
 * element-wise ops are not counted). Immutable and thread-safe.
 *
 * <pre>{@code
 * DartsCostModel net = DartsCostModel.cifar(Genotypes.DARTS_V2).auxiliary(true).build();
 * net.parametersWithoutAuxiliary();   // 3,349,342 (the paper's 3.3M)
 * net.multiplyAdds();                 // 528,359,040
 * }</pre>
 */
public final class DartsCostModel {

    /** The two reference networks. */
    public enum Variant {
        /** NetworkCIFAR: defaults C=36, 20 layers, 10 classes, 32x32 input. */
        CIFAR,
        /** NetworkImageNet: defaults C=48, 14 layers, 1000 classes, 224x224 input. */
        IMAGENET
    }

    /**
     * A named part of the network with its costs.
     *
     * @param name         e.g. {@code "stem"}, {@code "cell 6 (reduce)"}, {@code "auxiliary head"}
     * @param parameters   trainable parameters
     * @param multiplyAdds multiply-adds for one sample
     */
    public record Component(String name, long parameters, long multiplyAdds) {
    }

    private final Genotype genotype;
    private final Variant variant;
    private final int channels;
    private final int layers;
    private final boolean auxiliary;
    private final int numClasses;
    private final int inputSize;
    private final List<NetworkCell> cells;
    private final List<Component> components;
    private final long auxiliaryParameters;
    private final long auxiliaryMultiplyAdds;

    private DartsCostModel(Builder b) {
        this.genotype = b.genotype;
        this.variant = b.variant;
        this.channels = b.channels;
        this.layers = b.layers;
        this.auxiliary = b.auxiliary;
        this.numClasses = b.numClasses;
        this.inputSize = b.inputSize;
        List<Component> parts = new ArrayList<>();
        Shape input = new Shape(3, inputSize, inputSize);
        Shape s0;
        Shape s1;
        boolean reductionPrev;
        if (variant == Variant.CIFAR) {
            int stem = 3 * channels;
            s0 = conv(input, stem, 3, 1);
            parts.add(new Component("stem", convParams(3, stem, 3, true), convMacs(s0, 3, 3)));
            s1 = s0;
            reductionPrev = false;
        } else {
            int half = channels / 2;
            Shape a = conv(input, half, 3, 2);
            s0 = conv(a, channels, 3, 2);
            parts.add(new Component("stem0", convParams(3, half, 3, true) + convParams(half, channels, 3, true),
                    convMacs(a, 3, 3) + convMacs(s0, half, 3)));
            s1 = conv(s0, channels, 3, 2);
            parts.add(new Component("stem1", convParams(channels, channels, 3, true), convMacs(s1, channels, 3)));
            reductionPrev = true;
        }
        List<NetworkCell> laid = new ArrayList<>();
        int c = channels;
        Shape toAuxiliary = null;
        for (int i = 0; i < layers; i++) {
            boolean reduce = i == layers / 3 || i == 2 * layers / 3;
            if (reduce) {
                c *= 2;
            }
            NetworkCell cell = NetworkCell.layout(i, genotype, reduce ? CellType.REDUCE : CellType.NORMAL,
                    reductionPrev, s0, s1, c);
            laid.add(cell);
            parts.add(new Component("cell " + i + " (" + cell.type().label() + ")", cell.parameters(),
                    cell.multiplyAdds()));
            reductionPrev = reduce;
            s0 = s1;
            s1 = cell.output();
            if (i == 2 * layers / 3) {
                toAuxiliary = s1;
            }
        }
        this.cells = List.copyOf(laid);
        if (variant == Variant.IMAGENET && (s1.height() < 7 || s1.height() > 13 || s1.width() < 7 || s1.width() > 13)) {
            throw new IllegalArgumentException("inputSize must leave a final map that the 7x7 average pooling reduces"
                    + " to 1x1 (7 to 13 pixels a side), but inputSize=" + inputSize + " leaves " + s1);
        }
        parts.add(new Component("classifier", (long) s1.channels() * numClasses + numClasses,
                (long) s1.channels() * numClasses));
        if (auxiliary) {
            int poolStride = variant == Variant.CIFAR ? 3 : 2;
            int h = Shape.convolved(toAuxiliary.height(), 5, poolStride, 0, 1);
            int w = Shape.convolved(toAuxiliary.width(), 5, poolStride, 0, 1);
            if (h != 2 || w != 2) {
                throw new IllegalArgumentException("the auxiliary head needs a 2x2 map after its 5x5 pooling (stride "
                        + poolStride + "), but the output of cell " + (2 * layers / 3) + " is " + toAuxiliary
                        + " with inputSize=" + inputSize);
            }
            long p = convParams(toAuxiliary.channels(), 128, 1, true)
                    + convParams(128, 768, 2, variant == Variant.CIFAR)
                    + 768L * numClasses + numClasses;
            long m = (long) h * w * 128 * toAuxiliary.channels() + 768L * 128 * 4 + 768L * numClasses;
            parts.add(new Component("auxiliary head", p, m));
            auxiliaryParameters = p;
            auxiliaryMultiplyAdds = m;
        } else {
            auxiliaryParameters = 0;
            auxiliaryMultiplyAdds = 0;
        }
        this.components = List.copyOf(parts);
    }

    private static Shape conv(Shape in, int out, int k, int stride) {
        return new Shape(out, Shape.convolved(in.height(), k, stride, k / 2, 1),
                Shape.convolved(in.width(), k, stride, k / 2, 1));
    }

    private static long convParams(int in, int out, int k, boolean bn) {
        return (long) in * out * k * k + (bn ? 2L * out : 0);
    }

    private static long convMacs(Shape out, int in, int k) {
        return (long) out.height() * out.width() * out.channels() * in * k * k;
    }

    /** A builder of the CIFAR network (NetworkCIFAR) for {@code genotype}. */
    public static Builder cifar(Genotype genotype) {
        return new Builder(genotype, Variant.CIFAR);
    }

    /** A builder of the ImageNet network (NetworkImageNet, mobile setting) for {@code genotype}. */
    public static Builder imagenet(Genotype genotype) {
        return new Builder(genotype, Variant.IMAGENET);
    }

    /** The genotype. */
    public Genotype genotype() {
        return genotype;
    }

    /** CIFAR or ImageNet. */
    public Variant variant() {
        return variant;
    }

    /** The initial channels {@code C}. */
    public int channels() {
        return channels;
    }

    /** The number of cells. */
    public int layers() {
        return layers;
    }

    /** Whether the auxiliary head is built. */
    public boolean auxiliary() {
        return auxiliary;
    }

    /** The number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** The input height and width. */
    public int inputSize() {
        return inputSize;
    }

    /** The cells in order, as data. */
    public List<NetworkCell> cells() {
        return cells;
    }

    /** The index of the cell whose output feeds the auxiliary head: {@code 2 * layers / 3}. */
    public int auxiliaryCellIndex() {
        return 2 * layers / 3;
    }

    /** Stem(s), cells, classifier and (when enabled) auxiliary head with their costs. */
    public List<Component> components() {
        return components;
    }

    /** All trainable parameters, the auxiliary head included when enabled (the reference's model.parameters()). */
    public long parameters() {
        long n = 0;
        for (Component c : components) {
            n += c.parameters();
        }
        return n;
    }

    /** The parameters without the auxiliary head, as the reference logs them ("param size"). */
    public long parametersWithoutAuxiliary() {
        return parameters() - auxiliaryParameters;
    }

    /** Multiply-adds of one inference forward pass (the auxiliary head excluded, as it runs only in training). */
    public long multiplyAdds() {
        long n = 0;
        for (Component c : components) {
            n += c.multiplyAdds();
        }
        return n - auxiliaryMultiplyAdds;
    }

    /** Multiply-adds of the auxiliary head for one sample; 0 when it is disabled. */
    public long auxiliaryMultiplyAdds() {
        return auxiliaryMultiplyAdds;
    }

    /**
     * Builds a {@link DartsCostModel}. Defaults depend on the variant: CIFAR C=36, 20 layers, 10 classes, input 32;
     * ImageNet C=48, 14 layers, 1000 classes, input 224; no auxiliary head.
     */
    public static final class Builder {
        private final Genotype genotype;
        private final Variant variant;
        private int channels;
        private int layers;
        private boolean auxiliary;
        private int numClasses;
        private int inputSize;

        private Builder(Genotype genotype, Variant variant) {
            this.genotype = Objects.requireNonNull(genotype, "genotype");
            this.variant = variant;
            boolean cifar = variant == Variant.CIFAR;
            this.channels = cifar ? 36 : 48;
            this.layers = cifar ? 20 : 14;
            this.numClasses = cifar ? 10 : 1000;
            this.inputSize = cifar ? 32 : 224;
        }

        /** The initial channels {@code C}, at least 1 (even for ImageNet); default 36 (CIFAR) or 48 (ImageNet). */
        public Builder channels(int channels) {
            if (channels < 1) {
                throw new IllegalArgumentException("channels must be >= 1, but was " + channels);
            }
            this.channels = channels;
            return this;
        }

        /** The number of cells, at least 1; default 20 (CIFAR) or 14 (ImageNet). */
        public Builder layers(int layers) {
            if (layers < 1) {
                throw new IllegalArgumentException("layers must be >= 1, but was " + layers);
            }
            this.layers = layers;
            return this;
        }

        /** Whether to build the auxiliary head; default false. */
        public Builder auxiliary(boolean auxiliary) {
            this.auxiliary = auxiliary;
            return this;
        }

        /** The number of classes, at least 1; default 10 (CIFAR) or 1000 (ImageNet). */
        public Builder numClasses(int numClasses) {
            if (numClasses < 1) {
                throw new IllegalArgumentException("numClasses must be >= 1, but was " + numClasses);
            }
            this.numClasses = numClasses;
            return this;
        }

        /** The input height and width, at least 1; default 32 (CIFAR) or 224 (ImageNet). */
        public Builder inputSize(int inputSize) {
            if (inputSize < 1) {
                throw new IllegalArgumentException("inputSize must be >= 1, but was " + inputSize);
            }
            this.inputSize = inputSize;
            return this;
        }

        /** The network; an exception naming the rule if the sizes do not fit the reference's layers. */
        public DartsCostModel build() {
            if (variant == Variant.IMAGENET && (channels < 2 || channels % 2 != 0)) {
                throw new IllegalArgumentException("channels of the ImageNet network must be even and >= 2 (the stem"
                        + " halves it and the first cell factorized-reduces to it), but was " + channels);
            }
            return new DartsCostModel(this);
        }
    }
}
