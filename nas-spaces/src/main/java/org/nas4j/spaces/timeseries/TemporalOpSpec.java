package org.nas4j.spaces.timeseries;

import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.Shape;

/**
 * The shape rule of every 1-D op: a {@code channels x 1 x length} map, 'same' padding along time, so stride 1
 * keeps the length and stride 2 gives {@code ceil(length / 2)} (TensorFlow's 'same', as POPNASv3's Keras layers).
 */
abstract class TemporalOpSpec implements OpSpec {
    private final String name;

    TemporalOpSpec(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape output(Shape input, int outChannels, int stride) {
        if (input.height() != 1) {
            throw new IllegalArgumentException("1-D op '" + name + "' reads channels x 1 x length maps, but the"
                    + " input was " + input);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, but was " + stride);
        }
        return new Shape(outChannels, 1, (input.width() + stride - 1) / stride);
    }

    /** The output length for {@code input} at {@code stride}. */
    int outputLength(Shape input, int stride) {
        return output(input, 1, stride).width();
    }

    @Override
    public String toString() {
        return name;
    }
}
