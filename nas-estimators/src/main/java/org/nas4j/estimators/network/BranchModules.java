package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.ChannelSplit;
import org.nas4j.estimators.engine.ops.ConcatBranches;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two-branch modules of ShuffleNetV2 blocks ({@link Modules#channelSplit}, {@link Modules#concatBranches}):
 * engine layers that hold modules, and that describe themselves to a {@link GraphSink} as channel slices, the
 * branches and a concatenation.
 */
final class BranchModules {

    private BranchModules() {
    }

    static Module split(String name, int in, int kept, Module branch) {
        if (kept < 1 || kept >= in) {
            throw new IllegalArgumentException("kept must be in [1, in - 1 = " + (in - 1) + "], but was " + kept);
        }
        return new Split(name, in, kept, branch, new ChannelSplit(kept, branch));
    }

    static Module concat(String name, Module first, Module second) {
        return new Concatenated(name, first, second, new ConcatBranches(first, second));
    }

    private static final class Split extends DelegatingModule {
        private final String name;
        private final int in;
        private final int kept;
        private final Module branch;

        Split(String name, int in, int kept, Module branch, ChannelSplit layer) {
            super(layer);
            this.name = name;
            this.in = in;
            this.kept = kept;
            this.branch = branch;
        }

        @Override
        public INDArray forward(INDArray input, Mode mode) {
            if (input.rank() != 4 || input.size(1) != in) {
                throw new IllegalArgumentException("input of channel split '" + name + "' must be [B, " + in
                        + ", H, W], but was " + java.util.Arrays.toString(input.shape()));
            }
            return super.forward(input, mode);
        }

        @Override
        public String export(GraphSink sink, String input) {
            String passed = sink.sliceChannels(name + ".kept", input, 0, kept);
            String rest = sink.sliceChannels(name + ".split", input, kept, in);
            return sink.concat(name + ".concat", List.of(passed, branch.export(sink, rest)));
        }
    }

    private static final class Concatenated extends DelegatingModule {
        private final String name;
        private final Module first;
        private final Module second;

        Concatenated(String name, Module first, Module second, ConcatBranches layer) {
            super(layer);
            this.name = name;
            this.first = first;
            this.second = second;
        }

        @Override
        public String export(GraphSink sink, String input) {
            String a = first.export(sink, input);
            String b = second.export(sink, input);
            return sink.concat(name + ".concat", List.of(a, b));
        }
    }
}
