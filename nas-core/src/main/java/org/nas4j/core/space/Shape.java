package org.nas4j.core.space;

/**
 * The shape of one sample's feature map: channels x height x width (width and height 1 for vectors).
 *
 * @param channels channels, at least 1
 * @param height   height, at least 1
 * @param width    width, at least 1
 */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape dimensions must be >= 1, but were " + channels + "x" + height
                    + "x" + width);
        }
    }

    /** The number of elements. */
    public long size() {
        return (long) channels * height * width;
    }

    /** This shape with another channel count. */
    public Shape withChannels(int c) {
        return new Shape(c, height, width);
    }

    /** The spatial output size of a window of {@code kernel} with {@code stride}, {@code padding}, {@code dilation}. */
    public static int convolved(int size, int kernel, int stride, int padding, int dilation) {
        return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
