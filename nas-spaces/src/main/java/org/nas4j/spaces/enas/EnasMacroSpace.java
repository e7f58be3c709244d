package org.nas4j.spaces.enas;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.spaces.mobile.PublishedNetwork;

/**
 * ENAS' macro search space (Pham et al. 2018, "Efficient Neural Architecture Search via Parameter Sharing", the
 * "general" child of melodyguan/enas, {@code src/cifar10/general_child.py} with {@code whole_channels}), written with
 * the space builder. The network: a 3x3 convolution and BN to {@code outFilters} channels (the stem); {@code L}
 * layers, layer {@code i} applying one of the six branches ({@link EnasOps#BRANCHES}, in the reference's order, so
 * option {@code j} is op id {@code j}) to the layer before it and, from the second layer on, adding any subset of
 * the earlier states {@code prev_layers[0 .. i-1]} (the stem and layers {@code 0 .. i-2}: the layer just before is
 * the branch's input, not a skip candidate), then BN ({@code add_n} then {@code batch_norm}, no projection); after
 * layers {@code L/3 - 1} and {@code 2L/3 - 1} (integer division) every state so far goes through its own
 * factorized reduction to half the size; global average pooling, dropout, a linear classifier without bias. The
 * width stays {@code outFilters} throughout, as in the reference's search child. {@link Builder#fixedChild} builds the
 * reference's other child instead, the one its final script trains a found architecture with (pre-activation
 * branches, the skips concatenated and projected, the width doubled at each reduction; {@link #finalChild()}).
 * See {@code docs/spaces/enas.md}.
 *
 * <p>Choices, in the order of the reference's flat arc: {@code layer<i>.op} (six options), then
 * {@code layer<i>.skip<k>} for {@code k < i} ({@code none} or {@code skip_connect}: the arc's 0 or 1).
 * {@link #fromReference} reads an arc as the reference's scripts write it. {@link Builder#wholeChannels}{@code (false)}
 * builds the reference's other mode, every branch on a chosen channel range ({@link #channels()}).
 *
 * <pre>{@code
 * ComposedSpace space = EnasMacroSpace.cifar10();                 // 12 layers, 36 filters, the paper's search
 * ComposedSpace small = EnasMacroSpace.small().build();            // 6 layers, 16 filters, 1x28x28
 * Architecture a = EnasMacroSpace.fromReference(space, "0 3 0 0 1 0 2 0 0 1 ...");
 * }</pre>
 */
public final class EnasMacroSpace {

    /**
     * The architecture of {@code scripts/cifar10_macro_final.sh} (24 layers; only op ids 0 to 3, as the script
     * runs {@code --child_num_branches=4}).
     */
    public static final String PUBLISHED_ARC = "0 3 0 0 1 0 2 0 0 1 2 0 0 0 0 3 1 1 0 1 0 2 0 0 0 0 0 1"
            + " 2 0 1 1 0 1 1 1 1 0 1 1 1 0 1 0 1 0 0 0 0 0 0 0 0 0 0 2 0 0 0 0 0 1 0 0 0 0"
            + " 0 1 0 0 1 1 0 0 0 0 1 1 2 0 1 0 0 0 0 0 1 0 1 1 0 1 0 0 1 0 0 0 1 1 1 0 1 0 1"
            + " 0 1 1 0 1 0 1 0 0 0 0 0 1 0 0 2 0 0 1 0 0 0 0 0 0 0 1 0 1 0 1"
            + " 2 0 1 0 0 0 1 0 0 1 1 1 1 0 0 1 0 2 0 0 0 0 1 0 1 0 1 0 0 1 0 1 0 0 1"
            + " 3 0 1 1 0 1 0 0 0 0 0 1 0 1 0 1 0 0 0 3 0 1 1 0 0 0 0 0 0 0 0 0 1 1 0 0 0 0 1"
            + " 0 1 0 0 1 0 1 1 0 0 0 1 0 0 0 0 0 1 1 0 0 3 0 1 0 1 1 0 0 1 0 1 1 0 1 1 0 1 0 0 1 0 0"
            + " 0 1 0 1 0 1 0 0 0 0 0 0 0 0 1 0 1 0 0 1 0 0 0 0 1 1 0 0 0 1 1 1 0 1 0 0 0 1 0 1 0 0 1 1 0 0 0";

    /** The name of the published network in {@code nas4j architecture}. */
    public static final String NAME = "enas-macro";

    private EnasMacroSpace() {
    }

    /** The macro search of {@code scripts/cifar10_macro_search.sh}: 12 layers, 36 filters, 3x32x32, 10 classes. */
    public static ComposedSpace cifar10() {
        return builder().build();
    }

    /**
     * The space of the final script ({@code scripts/cifar10_macro_final.sh}): the fixed-arc child of 24 layers, 96
     * filters, 4 branches, dropout keeping 0.5, 3x32x32, 10 classes; {@link #PUBLISHED_ARC} is one of its members.
     */
    public static ComposedSpace finalChild() {
        return published(10, 32).space();
    }

    /**
     * The published network ({@link #PUBLISHED_ARC}) in {@link #finalChild()}'s space with {@code classes} classes
     * and {@code resolution} x {@code resolution} RGB inputs (the reference: 10 and 32), named {@code enas-macro}.
     */
    public static PublishedNetwork published(int classes, int resolution) {
        ComposedSpace space = builder().name("enas-macro-final").layers(24).outFilters(96).branches(4)
                .keepProbability("0.5").fixedChild(true).classes(classes).input(3, resolution).build();
        return new PublishedNetwork(NAME, space, fromReference(space, PUBLISHED_ARC));
    }

    /** A builder with the search script's sizes. */
    public static Builder builder() {
        return new Builder("enas-macro", 12, 36, 3, 32, 10, 6, "0.9", false, true);
    }

    /** A builder of the small space: 6 layers, 16 filters, 1x28x28 (Fashion-MNIST), 10 classes. */
    public static Builder small() {
        return new Builder("enas-macro-small", 6, 16, 1, 28, 10, 6, "0.9", false, true);
    }

    /** The layers after which the reference reduces: {@code L/3 - 1} and {@code 2L/3 - 1} (none below 3 layers). */
    public static List<Integer> poolLayers(int layers) {
        int distance = layers / 3;
        return distance == 0 ? List.of() : List.of(distance - 1, 2 * distance - 1);
    }

    /**
     * The architecture of {@code space} (one of this class's) written as the reference's flat arc: per layer
     * {@code i}, its op id, then {@code i} skip flags (0 or 1), separated by white space.
     *
     * @throws IllegalArgumentException naming the position of a bad number, or the count when it does not fit
     */
    public static Architecture fromReference(ComposedSpace space, String arc) {
        return EnasMacroChannels.isChannelSpace(space) ? EnasMacroChannels.parse(space, arc)
                : ReferenceArc.parse(space, arc, "");
    }

    /** {@code architecture} as the reference's flat arc (the inverse of {@link #fromReference}). */
    public static String toReference(Architecture architecture) {
        return architecture.space() instanceof ComposedSpace c && EnasMacroChannels.isChannelSpace(c)
                ? EnasMacroChannels.format(architecture) : ReferenceArc.format(architecture);
    }

    /**
     * The layout of the weight-sharing supernet of {@code channels}, a {@code whole_channels=False} search child:
     * every branch on the whole layer, then a channel mask ({@code enas_range_mask}) that a supernet binds to the
     * ranges of the path it runs; the skip flags are its only choices (in {@code channels}' order). What
     * {@code EnasChannelSupernet} (nas-estimators) compiles.
     *
     * @throws IllegalArgumentException for a space that is not such a search child
     */
    public static ComposedSpace wholeLayers(ComposedSpace channels) {
        return EnasMacroChannels.wholeLayers(channels);
    }

    /**
     * The macro search with {@code whole_channels=False} at the search script's sizes (12 layers, 36 filters, 6
     * branches, each on a channel range; {@code Spaces.byName("enas-macro-channels")}). The reference ships no
     * script for this mode.
     */
    public static ComposedSpace channels() {
        return builder().name("enas-macro-channels").wholeChannels(false).build();
    }

    /** The sizes of an ENAS macro space; immutable, every setter returns a validated copy. */
    public static final class Builder {
        private final String name;
        private final int layers;
        private final int outFilters;
        private final int inputChannels;
        private final int resolution;
        private final int classes;
        private final int branches;
        private final String keep;
        private final boolean fixed;
        private final boolean whole;

        private Builder(String name, int layers, int outFilters, int inputChannels, int resolution, int classes,
                int branches, String keep, boolean fixed, boolean whole) {
            this.whole = whole;
            this.name = name;
            this.layers = layers;
            this.outFilters = outFilters;
            this.inputChannels = inputChannels;
            this.resolution = resolution;
            this.classes = classes;
            this.branches = branches;
            this.keep = keep;
            this.fixed = fixed;
        }

        /** The space's name. Default {@code enas-macro} ({@code enas-macro-small}). */
        public Builder name(String spaceName) {
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + spaceName + "'");
            }
            return new Builder(spaceName, layers, outFilters, inputChannels, resolution, classes, branches,
                    keep, fixed, whole);
        }

        /** The number of layers {@code --child_num_layers}, >= 1. Default 12 (6). */
        public Builder layers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("layers must be >= 1, but was " + count);
            }
            return new Builder(name, count, outFilters, inputChannels, resolution, classes, branches, 
                    keep, fixed, whole);
        }

        /**
         * The width {@code --child_out_filters}, even and >= 2 (the factorized reduction halves it). Default 36 (16).
         */
        public Builder outFilters(int filters) {
            if (filters < 2 || filters % 2 != 0) {
                throw new IllegalArgumentException("outFilters must be even and >= 2, but was " + filters);
            }
            return new Builder(name, layers, filters, inputChannels, resolution, classes, branches, 
                    keep, fixed, whole);
        }

        /** Square inputs of {@code channels} x {@code size} x {@code size}. Default 3x32x32 (1x28x28). */
        public Builder input(int channels, int size) {
            if (channels < 1 || size < 1) {
                throw new IllegalArgumentException("input channels and size must be >= 1, but were " + channels
                        + " and " + size);
            }
            return new Builder(name, layers, outFilters, channels, size, classes, branches, 
                    keep, fixed, whole);
        }

        /** The number of classes, >= 2. Default 10. */
        public Builder classes(int count) {
            if (count < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + count);
            }
            return new Builder(name, layers, outFilters, inputChannels, resolution, count, branches, 
                    keep, fixed, whole);
        }

        /**
         * {@code --child_num_branches} in [4, 6]: the first {@code n} branches of {@link EnasOps#BRANCHES} (4: the
         * four convolutions, as the final script; 5 adds average pooling). Default 6.
         */
        public Builder branches(int n) {
            if (n < 4 || n > 6) {
                throw new IllegalArgumentException("branches must be in [4, 6], but was " + n);
            }
            return new Builder(name, layers, outFilters, inputChannels, resolution, classes, n, 
                    keep, fixed, whole);
        }

        /**
         * The probability that the head's dropout keeps an activation, one of {@link EnasOps#KEEP_PROBABILITIES}:
         * "1.0" ({@code GeneralChild}'s default {@code keep_prob}; no dropout), "0.9" (the search script's
         * {@code --child_keep_prob=0.90}), "0.5" (the final script's). Default "0.9".
         */
        public Builder keepProbability(String probability) {
            EnasOps.head(probability);
            return new Builder(name, layers, outFilters, inputChannels, resolution, classes, branches, probability,
                    fixed, whole);
        }

        /**
         * Whether to build the reference's fixed-arc child ({@code _fixed_layer}, what the final script trains)
         * instead of its search child ({@code _enas_layer}): pre-activation branches ({@link EnasOps#FIXED_BRANCHES};
         * op ids 1 and 3 are plain convolutions there and ids 4 and 5 are not built, so at most 4 branches), the
         * skips and the branch concatenated then ReLU, 1x1 convolution and BN (here the BN of the sum of
         * {@link EnasOps#RELU_CONV_1X1} on each: the same function and parameters), and the width doubled at each
         * pooling layer. Default false.
         */
        public Builder fixedChild(boolean yes) {
            return new Builder(name, layers, outFilters, inputChannels, resolution, classes, branches, 
                    keep, yes, whole);
        }

        /**
         * {@code whole_channels}: true (the default, what the reference's scripts run) chooses one whole branch per
         * layer; false runs every branch on a channel range {@code [start, start + count)} of the layer that the
         * architecture chooses per branch (value choices {@code layer<i>.range<j>}, {@link EnasMacroChannels}), the
         * branches concatenated and projected by a 1x1 convolution. Works with {@link #fixedChild} either way.
         */
        public Builder wholeChannels(boolean yes) {
            return new Builder(name, layers, outFilters, inputChannels, resolution, classes, branches, keep, fixed,
                    yes);
        }

        /**
         * Builds the space.
         *
         * @throws org.nas4j.core.space.builder.SpaceDefinitionException when a reduction meets an odd size (the
         *                                                              factorized reduction needs even sizes)
         */
        public ComposedSpace build() {
            if (!whole) {
                return EnasMacroChannels.build(name, layers, outFilters, inputChannels, resolution, classes,
                        branches, keep, fixed, false);
            }
            if (fixed && branches > 4) {
                throw new IllegalArgumentException("branches of the fixed-arc child must be at most 4 (the reference"
                        + " builds no pooling branch there), but was " + branches);
            }
            return fixed ? buildFixed() : buildSearch();
        }

        private ComposedSpace buildSearch() {
            List<String> ops = EnasOps.BRANCHES.subList(0, branches);
            List<Integer> pools = poolLayers(layers);
            SpaceBuilder b = SpaceBuilder.create(name).input(inputChannels, resolution, resolution).classes(classes)
                    .layer("stem", "conv_bn_3x3", Width.of(outFilters));
            // the reference's prev_layers: the stem, then each layer, replaced by their reductions at a pool layer
            List<String> states = new ArrayList<>(List.of("stem"));
            for (int id = 0; id < layers; id++) {
                int layer = id;
                List<String> earlier = List.copyOf(states);
                b.join("layer" + id, j -> {
                    j.input("op", earlier.get(earlier.size() - 1), ops).width(Width.of(outFilters));
                    for (int k = 0; k < layer; k++) {
                        j.input("skip" + k, earlier.get(k), "none", "skip_connect");
                    }
                    if (layer > 0) {
                        j.then(EnasOps.BATCH_NORM);
                    }
                });
                states.add("layer" + id);
                if (pools.contains(id)) {
                    states = reduceAll(b, id, states, outFilters);
                }
            }
            return b.head(EnasOps.head(keep)).build();
        }

        /**
         * The fixed-arc child: layer {@code i} is the join {@code layer<i>_branch} (the branch on the layer before)
         * and, from the second layer on, the join {@code layer<i>} of ReLU-conv1x1 on that branch and on each chosen
         * skip, then BN; the reductions double the width.
         */
        private ComposedSpace buildFixed() {
            List<String> ops = EnasOps.FIXED_BRANCHES.subList(0, branches);
            List<Integer> pools = poolLayers(layers);
            SpaceBuilder b = SpaceBuilder.create(name).input(inputChannels, resolution, resolution).classes(classes)
                    .layer("stem", "conv_bn_3x3", Width.of(outFilters));
            List<String> states = new ArrayList<>(List.of("stem"));
            int width = outFilters;
            for (int id = 0; id < layers; id++) {
                int layer = id;
                int c = width;
                List<String> earlier = List.copyOf(states);
                String branch = id == 0 ? "layer0" : "layer" + id + "_branch";
                b.join(branch, j -> j.input("op", earlier.get(earlier.size() - 1), ops).width(Width.of(c)));
                if (id > 0) {
                    b.join("layer" + id, j -> {
                        j.input("out", branch, EnasOps.RELU_CONV_1X1).width(Width.of(c));
                        for (int k = 0; k < layer; k++) {
                            j.input("skip" + k, earlier.get(k), "none", EnasOps.RELU_CONV_1X1);
                        }
                        j.then(EnasOps.BATCH_NORM);
                    });
                }
                states.add("layer" + id);
                if (pools.contains(id)) {
                    width *= 2;
                    states = reduceAll(b, id, states, width);
                }
            }
            return b.head(EnasOps.head(keep)).build();
        }
    }

    /**
     * The reference's reductions after pool layer {@code id}: every state so far through its own factorized reduction
     * to half the size at {@code width} channels (joins {@code pool<id>_from<k>}); returns their names, the states the
     * next layers read.
     */
    static List<String> reduceAll(SpaceBuilder b, int id, List<String> states, int width) {
        List<String> reduced = new ArrayList<>();
        for (int k = 0; k < states.size(); k++) {
            String part = "pool" + id + "_from" + k;
            String from = states.get(k);
            b.join(part, j -> j.input("reduce", from, EnasOps.FACTORIZED_REDUCE).stride(2).width(Width.of(width)));
            reduced.add(part);
        }
        return reduced;
    }
}
