package org.nas4j.estimators.engine.ops;

/**
 * Sizes of one depthwise convolution call and the layout of the scratch planes its Java kernels use. Immutable.
 *
 * <p>The kernels copy each input plane into a zero-padded scratch plane, so that no loop has a border case. For
 * strides {@code sH, sW} the padded plane is stored as {@code sH * sW} phases: phase {@code (qr, qc)} holds the
 * padded rows {@code r % sH == qr} and columns {@code c % sW == qc} at {@code (r / sH, c / sW)}, in rows of
 * {@link #phaseWidth()} (one spare row at the end). The output is computed "wide", in rows of the same width
 * ({@code j = oy * phaseWidth + ox}, the columns past the output width are discarded): then the input value that
 * tap {@code (ky, kx)} reads for output {@code j} is at {@code tapOffset(ky, kx) + j} for every output, every
 * stride and every dilation, and each tap is one pass over a contiguous range of the whole plane.
 */
record DepthwiseGeometry(int batch, int channels, int multiplier, int height, int width, int kernelHeight,
        int kernelWidth, int strideHeight, int strideWidth, int paddingHeight, int paddingWidth, int dilationHeight,
        int dilationWidth, int outHeight, int outWidth) {

    /** Rows of one phase of the padded plane, one spare row included. */
    int phaseRows() {
        int padded = Math.max(height + 2 * paddingHeight, (outHeight - 1) * strideHeight
                + (kernelHeight - 1) * dilationHeight + 1);
        return (padded + strideHeight - 1) / strideHeight + 1;
    }

    /** Columns of one phase of the padded plane, and of a wide output row. */
    int phaseWidth() {
        int padded = Math.max(width + 2 * paddingWidth, (outWidth - 1) * strideWidth
                + (kernelWidth - 1) * dilationWidth + 1);
        return (padded + strideWidth - 1) / strideWidth;
    }

    /** Elements of one phase. */
    int phaseSize() {
        return phaseRows() * phaseWidth();
    }

    /** Elements of the whole (phase-split) padded plane. */
    int paddedSize() {
        return strideHeight * strideWidth * phaseSize();
    }

    /** Elements of a wide output plane: {@code outHeight} rows of {@link #phaseWidth()}. */
    int wideSize() {
        return outHeight * phaseWidth();
    }

    /** Offset, in the padded plane, of the value that tap {@code (ky, kx)} reads for wide output 0. */
    int tapOffset(int ky, int kx) {
        int row = ky * dilationHeight;
        int column = kx * dilationWidth;
        int phase = (row % strideHeight) * strideWidth + column % strideWidth;
        return phase * phaseSize() + (row / strideHeight) * phaseWidth() + column / strideWidth;
    }

    /** Offset, in the padded plane, of input element {@code (y, x)}. */
    int inputOffset(int y, int x) {
        int row = y + paddingHeight;
        int column = x + paddingWidth;
        int phase = (row % strideHeight) * strideWidth + column % strideWidth;
        return phase * phaseSize() + (row / strideHeight) * phaseWidth() + column / strideWidth;
    }

    /** {@link #tapOffset} of every tap, at {@code ky * kernelWidth + kx}: computed once per call, not per plane. */
    int[] tapOffsets() {
        int[] offsets = new int[taps()];
        for (int ky = 0; ky < kernelHeight; ky++) {
            for (int kx = 0; kx < kernelWidth; kx++) {
                offsets[ky * kernelWidth + kx] = tapOffset(ky, kx);
            }
        }
        return offsets;
    }

    /** Column phases an input row is split into: the width stride, or the width where that is smaller. */
    int columnPhases() {
        return Math.min(strideWidth, width);
    }

    /**
     * Where each input row's column phases start in the padded plane: {@link #inputOffset inputOffset(y, x0)} at
     * {@code y * columnPhases() + x0}; the phase holds columns {@code x0, x0 + strideWidth, ...} in a run.
     */
    int[] rowStarts() {
        int phases = columnPhases();
        int[] starts = new int[height * phases];
        for (int y = 0; y < height; y++) {
            for (int x0 = 0; x0 < phases; x0++) {
                starts[y * phases + x0] = inputOffset(y, x0);
            }
        }
        return starts;
    }

    /**
     * Rows from one plane's first row to the next one's when planes are {@link #stacked}: the plane and at least
     * {@code paddingHeight} zero rows, rounded up to a multiple of the height stride so that every plane starts on
     * the same row phase.
     */
    int stackPitch() {
        return (height + paddingHeight + strideHeight - 1) / strideHeight * strideHeight;
    }

    /**
     * The geometry of {@code planes} input planes stacked into one tall plane, {@link #stackPitch()} rows apart,
     * the rows between them zero. Its output rows {@code q * stackPitch() / strideHeight + oy}, {@code oy <
     * outHeight}, are plane {@code q}'s: each reads plane {@code q}'s rows and the zero rows around it only, which
     * play its padding (the last output row reads down to row {@code height + paddingHeight - 1}, the first from
     * row {@code -paddingHeight}); the output rows between planes are computed and thrown away. So the kernels run
     * each tap once over several small planes (of one channel, one filter) instead of once per plane.
     */
    DepthwiseGeometry stacked(int planes) {
        if (planes < 1) {
            throw new IllegalArgumentException("planes must be >= 1, but was " + planes);
        }
        int rows = (planes - 1) * stackPitch();
        return new DepthwiseGeometry(batch, channels, multiplier, rows + height, width, kernelHeight, kernelWidth,
                strideHeight, strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth,
                rows / strideHeight + outHeight, outWidth);
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
