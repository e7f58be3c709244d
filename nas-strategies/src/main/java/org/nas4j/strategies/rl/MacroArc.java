package org.nas4j.strategies.rl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;

/**
 * Where the decisions of ENAS' macro controller sit in an ENAS macro space's choice vector
 * ({@code EnasMacroSpace}). With whole channels: per layer {@code i}, {@code layer<i>.op} ({@code B} branches), then
 * {@code layer<i>.skip<k>} for {@code k < i} (2 options: the reference's flags 0 and 1). With channel ranges: first
 * {@code layer<i>.range<j>} for every layer and branch (the options {@code "start+count"} of
 * {@link ChannelRange#sampled}), then the skip flags layer by layer. Immutable.
 */
final class MacroArc {
    private final int layers;
    private final int branches;
    /** Channels of a layer with channel ranges; 0 with whole channels. */
    private final int channels;
    /** With channel ranges: the option index of {@code (start, count)}, or -1. */
    private final int[][] option;
    private final ChannelRange[] ranges;

    private MacroArc(int layers, int branches, int channels, int[][] option, ChannelRange[] ranges) {
        this.layers = layers;
        this.branches = branches;
        this.channels = channels;
        this.option = option;
        this.ranges = ranges;
    }

    /**
     * The layout of {@code choices}.
     *
     * @throws IllegalArgumentException naming the first choice that does not fit an ENAS macro space
     */
    static MacroArc of(List<Choice> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("choices must be those of an ENAS macro space, but there were none");
        }
        String first = choices.get(0).name();
        if (first.equals("layer0.op")) {
            return whole(choices);
        }
        if (first.equals("layer0.range0")) {
            return ranged(choices);
        }
        throw new IllegalArgumentException("choices must be those of an ENAS macro space (the first named"
                + " 'layer0.op' or 'layer0.range0'), but the first was '" + first + "'");
    }

    private static MacroArc whole(List<Choice> choices) {
        int branches = choices.get(0).size();
        int at = 0;
        int layers = 0;
        while (at < choices.size()) {
            expect(choices, at++, "layer" + layers + ".op", branches);
            for (int k = 0; k < layers; k++) {
                expect(choices, at++, "layer" + layers + ".skip" + k, 2);
            }
            layers++;
        }
        return new MacroArc(layers, branches, 0, null, null);
    }

    private static MacroArc ranged(List<Choice> choices) {
        int branches = 0;
        while (branches < choices.size() && choices.get(branches).name().equals("layer0.range" + branches)) {
            branches++;
        }
        List<String> options = choices.get(0).options();
        ChannelRange[] ranges = new ChannelRange[options.size()];
        int channels = 0;
        for (int o = 0; o < ranges.length; o++) {
            ranges[o] = ChannelRange.parse(choices.get(0).name(), options.get(o));
            channels = Math.max(channels, ranges[o].end());
        }
        if (channels < 2 || !new HashSet<>(List.of(ranges)).equals(Set.copyOf(ChannelRange.sampled(channels)))) {
            throw new IllegalArgumentException("choice 'layer0.range0' must offer the ranges ENAS' controller samples"
                    + " for " + channels + " channels (ChannelRange.sampled), but offered " + options.size()
                    + " options " + options);
        }
        int[][] option = new int[channels][channels + 1];
        for (int[] row : option) {
            java.util.Arrays.fill(row, -1);
        }
        for (int o = 0; o < ranges.length; o++) {
            option[ranges[o].start()][ranges[o].count()] = o;
        }
        int at = 0;
        int layers = 0;
        while (at < choices.size() && choices.get(at).name().startsWith("layer" + layers + ".range")) {
            for (int j = 0; j < branches; j++) {
                Choice c = expect(choices, at++, "layer" + layers + ".range" + j, options.size());
                if (!c.options().equals(options)) {
                    throw new IllegalArgumentException("choice '" + c.name() + "' must offer the options of"
                            + " 'layer0.range0', but offered " + c.options());
                }
            }
            layers++;
        }
        for (int i = 1; i < layers; i++) {
            for (int k = 0; k < i; k++) {
                expect(choices, at++, "layer" + i + ".skip" + k, 2);
            }
        }
        if (at != choices.size()) {
            throw new IllegalArgumentException("choices must end with layer" + (layers - 1) + "'s skip flags, but "
                    + "choice " + at + " is '" + choices.get(at).name() + "'");
        }
        return new MacroArc(layers, branches, channels, option, ranges);
    }

    private static Choice expect(List<Choice> choices, int at, String name, int size) {
        if (at >= choices.size()) {
            throw new IllegalArgumentException("choices must continue with '" + name + "' (the arc of an ENAS macro"
                    + " space), but ended after " + at);
        }
        Choice c = choices.get(at);
        if (!c.name().equals(name) || c.size() != size) {
            throw new IllegalArgumentException("choice " + at + " must be '" + name + "' with " + size + " options"
                    + " (the arc of an ENAS macro space), but was '" + c.name() + "' with " + c.size());
        }
        return c;
    }

    int layers() {
        return layers;
    }

    int branches() {
        return branches;
    }

    /** Channels per layer with channel ranges; 0 with whole channels. */
    int channels() {
        return channels;
    }

    boolean wholeChannels() {
        return channels == 0;
    }

    /** Number of choices. */
    int size() {
        int skips = layers * (layers - 1) / 2;
        return wholeChannels() ? layers + skips : layers * branches + skips;
    }

    /** Whole channels: the choice of layer {@code i}'s branch. */
    int opChoice(int i) {
        return i + i * (i - 1) / 2;
    }

    /** Channel ranges: the choice of branch {@code j} of layer {@code i}. */
    int rangeChoice(int i, int j) {
        return i * branches + j;
    }

    /** The choice of layer {@code i}'s skip flag for the earlier layer {@code k}. */
    int skipChoice(int i, int k) {
        return wholeChannels() ? opChoice(i) + 1 + k : layers * branches + i * (i - 1) / 2 + k;
    }

    /** The option of the range {@code (start, count)}, or -1 if the controller cannot sample it. */
    int option(int start, int count) {
        return count < 1 || count > channels ? -1 : option[start][count];
    }

    /** The range of option {@code o} of a range choice. */
    ChannelRange range(int o) {
        return ranges[o];
    }
}
