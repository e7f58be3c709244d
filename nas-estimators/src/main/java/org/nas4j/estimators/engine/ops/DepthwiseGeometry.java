package org.nas4j.estimators.engine.ops;

/**
 * Sizes of one depthwise convolution call and of the scratch planes its Java kernels use. Immutable.
 *
 * <p>The kernels copy each input plane into a zero-padded scratch plane, so that no loop has a border case. For a
 * stride {@code s > 1} along the width the padded plane is stored as {@code s} column phases (phase {@code q}
 * holds the padded columns {@code j} with {@code j % s == q}, at {@code j / s}): the columns a kernel tap reads
 * for consecutive outputs, {@code ox * s + kx * d}, are then consecutive in one phase, and the innermost loop over
 * the output width reads and writes contiguous memory (which HotSpot vectorizes) for every stride.
 */
record DepthwiseGeometry(int batch, int channels, int multiplier, int height, int width, int kernelHeight,
        int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth, int dilationHeight,
        int dilationWidth, int outHeight, int outWidth) {

    /** Rows of the padded plane that the kernel reads. */
    int paddedHeight() {
        return Math.max(height + 2 * paddingHeight, (outHeight - 1) * strideHeight
                + (kernelHeight - 1) * dilationHeight + 1);
    }

    /** Columns of the padded plane. */
    int paddedWidth() {
        return Math.max(width + 2 * paddingWidth, (outWidth - 1) * strideWidth + (kernelWidth - 1) * dilationWidth
                + 1);
    }

    /** Columns of one phase of the padded plane. */
    int phaseWidth() {
        return (paddedWidth() + strideWidth - 1) / strideWidth;
    }

    /** Elements of one phase of the padded plane. */
    int phaseSize() {
        return paddedHeight() * phaseWidth();
    }

    /** Elements of the whole (phase-split) padded plane. */
    int paddedSize() {
        return strideWidth * phaseSize();
    }

    /** Offset, in the padded plane, of the value that tap {@code (ky, kx)} reads for output {@code (oy, 0)}. */
    int tapOffset(int oy, int ky, int kx) {
        int column = kx * dilationWidth;
        return (column % strideWidth) * phaseSize() + (oy * strideHeight + ky * dilationHeight) * phaseWidth()
                + column / strideWidth;
    }

    /** Offset, in the padded plane, of input element {@code (y, x)}. */
    int inputOffset(int y, int x) {
        int column = x + paddingWidth;
        return (column % strideWidth) * phaseSize() + (y + paddingHeight) * phaseWidth() + column / strideWidth;
    }

    int planeSize() {
        return height * width;
    }

    int outPlaneSize() {
        return outHeight * outWidth;
    }

    int taps() {
        return kernelHeight * kernelWidth;
    }

    int outChannels() {
        return channels * multiplier;
    }
}
