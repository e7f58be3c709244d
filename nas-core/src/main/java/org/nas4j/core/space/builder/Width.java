package org.nas4j.core.space.builder;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The output channels of a layer or the channels of a cell: fixed, relative to the input, or given by a value
 * choice (a channel count, or a base count times a width multiplier). Immutable.
 *
 * <pre>{@code
 * Width.of(16);                 // 16 channels
 * Width.same();                 // as many as the input
 * Width.times(2);               // twice the input's
 * Width.value("width");         // the option of value choice "width", e.g. "24"
 * Width.scaled(32, "mult");     // round(32 * mult), at least 1, for mult in e.g. {"0.5", "0.75", "1.0"}
 * Width.range("layer3.range0"); // the count of a channel range "start+count", e.g. "4+7" (7 channels)
 * }</pre>
 */
public sealed interface Width {

    /** {@code channels} channels, >= 1. */
    static Width of(int channels) {
        return new Fixed(channels);
    }

    /** The input's channel count. */
    static Width same() {
        return new Times(1);
    }

    /** {@code factor} times the input's channel count, factor >= 1. */
    static Width times(int factor) {
        return new Times(factor);
    }

    /** The channel count chosen by value choice {@code name} (its options are positive integers). */
    static Width value(String name) {
        return new Value(name);
    }

    /** {@code round(base * m)}, at least 1, with {@code m} chosen by value choice {@code multiplier}. */
    static Width scaled(int base, String multiplier) {
        return new Scaled(base, multiplier);
    }

    /**
     * The count of the channel range chosen by value choice {@code name}, whose options are ranges
     * {@code "start+count"} ({@link ChannelRange}): ENAS' {@code whole_channels=False}, where a branch computes the
     * channels {@code [start, start + count)} of its layer. A stand-alone network has {@code count} channels there;
     * the start tells a weight-sharing supernet which slice of the layer's weights the branch uses.
     */
    static Width range(String name) {
        return new Range(name);
    }

    /**
     * The channels for an input of {@code inputChannels}, reading value choices through {@code values} (name to the
     * chosen option).
     */
    int resolve(int inputChannels, Function<String, String> values);

    /** The value choice this width reads, if any. */
    default Optional<String> valueName() {
        return Optional.empty();
    }

    /** Fixed channels. */
    record Fixed(int channels) implements Width {
        public Fixed {
            if (channels < 1) {
                throw new IllegalArgumentException("channels must be >= 1, but was " + channels);
            }
        }

        @Override
        public int resolve(int inputChannels, Function<String, String> values) {
            return channels;
        }

        @Override
        public String toString() {
            return Integer.toString(channels);
        }
    }

    /** A multiple of the input channels. */
    record Times(int factor) implements Width {
        public Times {
            if (factor < 1) {
                throw new IllegalArgumentException("factor must be >= 1, but was " + factor);
            }
        }

        @Override
        public int resolve(int inputChannels, Function<String, String> values) {
            return inputChannels * factor;
        }

        @Override
        public String toString() {
            return factor == 1 ? "same" : "x" + factor;
        }
    }

    /** A value choice's channel count. */
    record Value(String name) implements Width {
        public Value {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public int resolve(int inputChannels, Function<String, String> values) {
            return channels(name, values.apply(name));
        }

        @Override
        public Optional<String> valueName() {
            return Optional.of(name);
        }

        /** The option as a channel count; an exception naming the value if it is not a positive integer. */
        static int channels(String name, String option) {
            try {
                int c = Integer.parseInt(option);
                if (c >= 1) {
                    return c;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("option '" + option + "' of value '" + name
                    + "' must be a positive integer channel count");
        }

        @Override
        public String toString() {
            return "{" + name + "}";
        }
    }

    /** The count of a value choice's channel range. */
    record Range(String name) implements Width {
        public Range {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public int resolve(int inputChannels, Function<String, String> values) {
            return ChannelRange.parse(name, values.apply(name)).count();
        }

        @Override
        public Optional<String> valueName() {
            return Optional.of(name);
        }

        @Override
        public String toString() {
            return "range{" + name + "}";
        }
    }

    /** A base channel count times a multiplier chosen by a value choice. */
    record Scaled(int base, String multiplier) implements Width {
        public Scaled {
            if (base < 1) {
                throw new IllegalArgumentException("base must be >= 1, but was " + base);
            }
            Objects.requireNonNull(multiplier, "multiplier");
        }

        @Override
        public int resolve(int inputChannels, Function<String, String> values) {
            String option = values.apply(multiplier);
            double m;
            try {
                m = Double.parseDouble(option);
            } catch (NumberFormatException e) {
                m = Double.NaN;
            }
            if (!(m > 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("option '" + option + "' of value '" + multiplier
                        + "' must be a positive number (a width multiplier)");
            }
            return Math.max(1, (int) Math.round(base * m));
        }

        @Override
        public Optional<String> valueName() {
            return Optional.of(multiplier);
        }

        @Override
        public String toString() {
            return base + "*{" + multiplier + "}";
        }
    }
}
