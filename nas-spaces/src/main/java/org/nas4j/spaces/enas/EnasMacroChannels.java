package org.nas4j.spaces.enas;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * ENAS' macro space with {@code whole_channels=False} (melodyguan/enas, {@code src/cifar10/general_child.py},
 * {@code _enas_layer} and {@code _fixed_layer}, the {@code else} branches; {@code general_controller.py},
 * {@code _build_sampler} without {@code search_whole_channels}): every layer runs all {@code B} branches, each on
 * its own channel range {@code [start, start + count)}, the value choice {@code layer<i>.range<j>}
 * ({@link ChannelRange#sampled}: what the controller can sample); the branches' outputs are concatenated and
 * projected back to the layer's width by a 1x1 convolution ({@code final_conv}). Built by
 * {@link EnasMacroSpace.Builder#wholeChannels}; see {@code docs/spaces/enas.md}.
 *
 * <p>Parts of layer {@code i}: the joins {@code layer<i>_b<j>} (branch {@code j} of {@link EnasOps#RANGE_BRANCHES}
 * on the state before the layer, to the range's count), the join {@code layer<i>_conv} (or {@code layer0}) summing
 * {@link EnasOps#RELU_CONV_1X1} on each branch to the layer's width (a 1x1 convolution of a concatenation is the sum
 * of its blocks'; the branches end in a ReLU or pool a ReLU's output, so the leading ReLU is the identity there),
 * then {@link EnasOps#BN_RELU} (search child) or {@code batch_norm} (fixed child); from the second layer on, the join
 * {@code layer<i>} adding the chosen skips and normalising (search child: the sum then {@code batch_norm}; fixed
 * child: the concatenation projected, as {@link EnasMacroSpace}'s fixed child).
 *
 * <p>The choice vector holds the ranges first (layer by layer, branch by branch), then the skip flags; the
 * reference's arc interleaves them per layer ({@code start count} per branch, then the layer's skip flags), which
 * {@link #parse} and {@link #format} convert.
 */
final class EnasMacroChannels {
    private EnasMacroChannels() {
    }

    /** The value choice of branch {@code branch} of layer {@code layer}. */
    static String rangeName(int layer, int branch) {
        return "layer" + layer + ".range" + branch;
    }

    /** Whether {@code space} is one of this class's (it has the first layer's ranges). */
    static boolean isChannelSpace(ComposedSpace space) {
        return !space.choices().isEmpty() && space.choices().get(0).name().equals(rangeName(0, 0));
    }

    /**
     * The space, or with {@code wholeLayers} its supernet's layout: no range choices, every branch on the whole layer
     * ({@link EnasOps#BRANCHES}, {@code outFilters} channels) followed by the join {@code layer<i>_b<j>_range} of
     * {@link EnasOps#RANGE_MASK}, whose module a supernet binds to the range of the path it runs.
     */
    static ComposedSpace build(String name, int layers, int outFilters, int inputChannels, int resolution,
            int classes, int branches, String keep, boolean fixed, boolean wholeLayers) {
        List<String> options = ChannelRange.sampled(outFilters).stream().map(ChannelRange::toString).toList();
        SpaceBuilder b = SpaceBuilder.create(name).input(inputChannels, resolution, resolution).classes(classes);
        for (int i = 0; i < layers && !wholeLayers; i++) {
            for (int j = 0; j < branches; j++) {
                b.value(rangeName(i, j), options.toArray(String[]::new));
            }
        }
        b.layer("stem", "conv_bn_3x3", Width.of(outFilters));
        List<Integer> pools = EnasMacroSpace.poolLayers(layers);
        List<String> states = new ArrayList<>(List.of("stem"));
        int width = outFilters;
        for (int id = 0; id < layers; id++) {
            int layer = id;
            int c = width;
            List<String> earlier = List.copyOf(states);
            String before = earlier.get(earlier.size() - 1);
            List<String> parts = new ArrayList<>();
            for (int j = 0; j < branches; j++) {
                String part = "layer" + id + "_b" + j;
                if (wholeLayers) {
                    String op = EnasOps.BRANCHES.get(j);
                    b.join(part, join -> join.input("op", before, op).width(Width.of(c)));
                    b.join(part + "_range", join -> join.input("mask", part, EnasOps.RANGE_MASK));
                    parts.add(part + "_range");
                } else {
                    String op = EnasOps.RANGE_BRANCHES.get(j);
                    Width range = Width.range(rangeName(id, j));
                    b.join(part, join -> join.input("op", before, op).width(range));
                    parts.add(part);
                }
            }
            String conv = id == 0 ? "layer0" : "layer" + id + "_conv";
            b.join(conv, join -> {
                for (int j = 0; j < parts.size(); j++) {
                    join.input("b" + j, parts.get(j), EnasOps.RELU_CONV_1X1);
                }
                join.width(Width.of(c)).then(fixed ? EnasOps.BATCH_NORM : EnasOps.BN_RELU);
            });
            if (id > 0) {
                String skipOp = fixed ? EnasOps.RELU_CONV_1X1 : "skip_connect";
                b.join("layer" + id, join -> {
                    join.input("out", conv, skipOp).width(Width.of(c));
                    for (int k = 0; k < layer; k++) {
                        join.input("skip" + k, earlier.get(k), "none", skipOp);
                    }
                    join.then(EnasOps.BATCH_NORM);
                });
            }
            states.add("layer" + id);
            if (pools.contains(id)) {
                if (fixed) {
                    width *= 2;
                }
                states = EnasMacroSpace.reduceAll(b, id, states, width);
            }
        }
        return b.head(EnasOps.head(keep)).build();
    }

    /** The supernet layout of {@code space}, a search child of this class (see {@link #build}). */
    static ComposedSpace wholeLayers(ComposedSpace space) {
        Shape s = Shape.of(space);
        if (!space.definition().contains(EnasOps.BN_RELU)) {
            throw new IllegalArgumentException("space '" + space.name() + "' is a fixed-arc child: only the search"
                    + " child (fixedChild(false)) has a weight-sharing supernet");
        }
        // the head's op (enas_head_keep<p>) is the same in every architecture's plan
        List<NetworkPlan.Step> steps = space.plan(space.sample(new SplittableRandom(0))).steps();
        String keep = ((NetworkPlan.LayerStep) steps.get(steps.size() - 1)).op().substring("enas_head_keep".length());
        org.nas4j.core.space.Shape input = space.inputShape();
        return build(space.name() + "-whole-layers", s.layers, s.channels, input.channels(), input.height(),
                space.classes(), s.branches, keep, false, true);
    }

    /**
     * Reads the reference's arc of this mode: per layer {@code i}, per branch its {@code start count}, then {@code i}
     * skip flags.
     *
     * @throws IllegalArgumentException naming the position and the rule of a bad number, or the count
     */
    static Architecture parse(ComposedSpace space, String arc) {
        if (arc == null) {
            throw new IllegalArgumentException("arc must not be null");
        }
        Shape s = Shape.of(space);
        String[] tokens = arc.strip().split("\\s+");
        int expected = s.layers * 2 * s.branches + s.layers * (s.layers - 1) / 2;
        if (tokens.length != expected) {
            throw new IllegalArgumentException("arc must have " + expected + " numbers (per layer i: start and count"
                    + " of each of " + s.branches + " branches, then i skip flags) for space '" + space.name()
                    + "', but had " + tokens.length);
        }
        int[] vector = new int[space.choices().size()];
        int at = 0;
        for (int i = 0; i < s.layers; i++) {
            for (int j = 0; j < s.branches; j++) {
                String name = rangeName(i, j);
                int start = number(tokens, at, "start of " + name);
                int count = number(tokens, at + 1, "count of " + name);
                if (start >= s.channels) {
                    throw new IllegalArgumentException("arc number " + at + " (start of " + name + ") must be in [0, "
                            + (s.channels - 1) + "], but was " + start);
                }
                int most = s.channels - Math.max(start, 1);
                if (count < 1 || count > most) {
                    throw new IllegalArgumentException("arc number " + (at + 1) + " (count of " + name
                            + ") must be in [1, " + most + "] after start " + start + ", but was " + count);
                }
                vector[i * s.branches + j] = space.choices().get(i * s.branches + j).options()
                        .indexOf(new ChannelRange(start, count).toString());
                at += 2;
            }
            for (int k = 0; k < i; k++) {
                int flag = number(tokens, at, "layer" + i + ".skip" + k);
                if (flag != 0 && flag != 1) {
                    throw new IllegalArgumentException("arc number " + at + " (layer" + i + ".skip" + k
                            + ") must be 0 or 1, but was " + flag);
                }
                vector[s.skip(i, k)] = flag;
                at++;
            }
        }
        return Architecture.of(space, vector);
    }

    /** {@code architecture} as the reference's arc of this mode (the inverse of {@link #parse}). */
    static String format(Architecture architecture) {
        ComposedSpace space = (ComposedSpace) architecture.space();
        Shape s = Shape.of(space);
        int[] v = architecture.vector();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.layers; i++) {
            for (int j = 0; j < s.branches; j++) {
                Choice c = space.choices().get(i * s.branches + j);
                ChannelRange r = ChannelRange.parse(c.name(), c.options().get(v[i * s.branches + j]));
                out.add(Integer.toString(r.start()));
                out.add(Integer.toString(r.count()));
            }
            for (int k = 0; k < i; k++) {
                out.add(Integer.toString(v[s.skip(i, k)]));
            }
        }
        return String.join(" ", out);
    }

    private static int number(String[] tokens, int at, String what) {
        try {
            return Integer.parseInt(tokens[at]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("arc number " + at + " (" + what + ") must be an integer, but was '"
                    + tokens[at] + "'", e);
        }
    }

    /** The sizes read back from a space of this class. */
    private record Shape(int layers, int branches, int channels) {
        static Shape of(ComposedSpace space) {
            if (!isChannelSpace(space)) {
                throw new IllegalArgumentException("space '" + space.name() + "' is not an ENAS macro space with"
                        + " channel ranges (whole_channels=False)");
            }
            List<Choice> choices = space.choices();
            int branches = 0;
            while (branches < choices.size() && choices.get(branches).name().equals(rangeName(0, branches))) {
                branches++;
            }
            int ranges = 0;
            while (ranges < choices.size() && choices.get(ranges).kind() == Choice.Kind.VALUE) {
                ranges++;
            }
            // the last range of a layer of C channels is "(C-1)+1"
            List<String> options = choices.get(0).options();
            int channels = ChannelRange.parse(choices.get(0).name(), options.get(options.size() - 1)).end();
            return new Shape(ranges / branches, branches, channels);
        }

        /** The vector index of layer {@code i}'s skip flag {@code k}. */
        int skip(int i, int k) {
            return layers * branches + i * (i - 1) / 2 + k;
        }
    }
}
