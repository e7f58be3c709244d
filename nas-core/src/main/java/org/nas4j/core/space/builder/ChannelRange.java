package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.List;

/**
 * The channels {@code [start, start + count)} of a layer, written {@code "start+count"} as the option of a value
 * choice read by {@link Width#range}: in ENAS' macro space with {@code whole_channels=False} each branch of a layer
 * computes such a range of the layer's channels (melodyguan/enas, {@code general_child.py}, {@code _conv_branch}
 * and {@code _pool_branch} with {@code start_idx} and {@code count}). Immutable.
 *
 * @param start the first channel, >= 0
 * @param count the number of channels, >= 1
 */
public record ChannelRange(int start, int count) {
    public ChannelRange {
        if (start < 0 || count < 1) {
            throw new IllegalArgumentException("a channel range needs start >= 0 and count >= 1, but had start="
                    + start + ", count=" + count);
        }
    }

    /** The channel after the last. */
    public int end() {
        return start + count;
    }

    /**
     * The ranges ENAS' controller samples for a layer of {@code channels} channels, in the order of
     * {@code (start, count)}: start in {@code [0, channels - 1]}, count in {@code [1, channels - max(start, 1)]}
     * ({@code general_controller.py}: the start's softmax has {@code out_filters} logits, the count's
     * {@code out_filters - 1}, masked to {@code count - 1 <= out_filters - 1 - start}, and the arc holds
     * {@code count}). So no range covers all channels.
     *
     * @throws IllegalArgumentException when {@code channels < 2}
     */
    public static List<ChannelRange> sampled(int channels) {
        if (channels < 2) {
            throw new IllegalArgumentException("channels of a layer with channel ranges must be >= 2, but was "
                    + channels);
        }
        List<ChannelRange> out = new ArrayList<>();
        for (int start = 0; start < channels; start++) {
            for (int count = 1; count <= channels - Math.max(start, 1); count++) {
                out.add(new ChannelRange(start, count));
            }
        }
        return out;
    }

    /** The range written as {@code option} ({@code "start+count"}) of value {@code name}; an exception naming both. */
    public static ChannelRange parse(String name, String option) {
        int plus = option == null ? -1 : option.indexOf('+');
        if (plus > 0) {
            try {
                int start = Integer.parseInt(option.substring(0, plus));
                int count = Integer.parseInt(option.substring(plus + 1));
                if (start >= 0 && count >= 1) {
                    return new ChannelRange(start, count);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("option '" + option + "' of value '" + name
                + "' must be a channel range 'start+count' with start >= 0 and count >= 1");
    }

    @Override
    public String toString() {
        return start + "+" + count;
    }
}
