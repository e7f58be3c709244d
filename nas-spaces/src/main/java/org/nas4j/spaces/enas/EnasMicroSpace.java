package org.nas4j.spaces.enas;

import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasMicroOps;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.spaces.mobile.PublishedNetwork;

/**
 * ENAS' micro space (Pham et al. 2018) as the reference's fixed-arc child builds it (melodyguan/enas,
 * {@code src/cifar10/micro_child.py}, {@code _model} and {@code _fixed_layer}), written with the space builder: a
 * normal and a reduction cell of {@code cells} nodes; each node picks two inputs among the earlier states (the two
 * may be the same) and one of five ops per input ({@link EnasMicroOps#OPS}, by the reference's op id), and sums
 * them; the cell concatenates every state no node reads, its inputs included
 * ({@link CellOutput#CONCAT_UNUSED_STATES}). The cell inputs are calibrated as {@code _maybe_calibrate_size} and
 * {@code layer_base} do ({@link EnasMicroOps#CELL_INPUTS}). The network: a 3x3 conv to {@code 3 * outFilters} and
 * BN, read as both inputs of the first cell; {@code layers + 2} cells, those at {@link #poolLayers} reducing and
 * doubling the width; ReLU, global pooling, dropout, a linear layer without bias. The choice vector is the
 * reference's arc: per node {@code x_id, x_op, y_id, y_op}, the normal cell's nodes first.
 * {@link Builder#searchChild} builds the reference's search child instead ({@code _enas_layer};
 * {@link #searchChild()}), the space whose supernet ENAS' controller searches. See {@code docs/spaces/enas.md}.
 *
 * <pre>{@code
 * PublishedNetwork enas = EnasMicroSpace.published(10, 32);       // cifar10_micro_final.sh: 15 layers, 36 filters
 * ComposedSpace search = EnasMicroSpace.cifar10();                // the search script's sizes: 6 layers, 20 filters
 * enas.parameters();
 * ComposedSpace small = EnasMicroSpace.small().build();            // 3 layers, 8 filters, 1x28x28
 * Architecture a = EnasMicroSpace.fromReference(small, EnasMicroSpace.PUBLISHED_ARC);
 * }</pre>
 */
public final class EnasMicroSpace {

    /**
     * The fixed arc of {@code scripts/cifar10_micro_final.sh} (lines 5-6): the normal cell's 20 numbers, then the
     * reduction cell's.
     */
    public static final String PUBLISHED_ARC = "0 2 0 0 0 4 0 1 0 4 1 1 1 0 0 1 0 2 1 1"
            + " 1 0 1 0 0 3 0 2 1 1 3 1 1 0 0 4 0 3 1 1";
    /** The name of the published network in {@code nas4j architecture}. */
    public static final String NAME = "enas-micro";

    private EnasMicroSpace() {
    }

    /**
     * The fixed-arc child at the sizes of {@code cifar10_micro_search.sh}: 6 layers (8 cells), 20 filters, 5 nodes,
     * keep 0.9, 3x32x32, 10 classes: what a multi-trial search trains per architecture.
     */
    public static ComposedSpace cifar10() {
        return builder().build();
    }

    /** The space of {@code cifar10_micro_final.sh}'s child: 15 layers (17 cells), 36 filters, 5 nodes, keep 0.8. */
    public static ComposedSpace finalChild() {
        return published(10, 32).space();
    }

    /**
     * The published network ({@link #PUBLISHED_ARC}) in {@link #cifar10()}'s space with {@code classes} classes and
     * {@code resolution} x {@code resolution} RGB inputs (the reference: 10 and 32).
     */
    public static PublishedNetwork published(int classes, int resolution) {
        ComposedSpace space = builder().name("enas-micro-final").layers(15).outFilters(36).keepProbability("0.8")
                .classes(classes).input(3, resolution).build();
        return new PublishedNetwork(NAME, space, fromReference(space, PUBLISHED_ARC));
    }

    /**
     * The search child ({@code _enas_layer}) at the sizes of {@code cifar10_micro_search.sh}: 6 layers (8 cells), 20
     * filters, 5 nodes, keep 0.9, 3x32x32, 10 classes: the space whose supernet ENAS' controller searches.
     */
    public static ComposedSpace searchChild() {
        return builder().name("enas-micro-search").searchChild(true).build();
    }

    /** A builder with the search script's sizes ({@code --child_num_layers=6 --child_out_filters=20}, keep 0.9). */
    public static Builder builder() {
        return new Builder("enas-micro", 6, 20, 5, 3, 32, 10, "0.9", false);
    }

    /** A builder of a small space: 3 layers (5 cells), 8 filters, 5 nodes, 1x28x28 (Fashion-MNIST), keep 1.0. */
    public static Builder small() {
        return new Builder("enas-micro-small", 3, 8, 5, 1, 28, 10, "1.0", false);
    }

    /**
     * The cells that reduce among the {@code layers + 2} cells: {@code [L/3, 2 * (L/3) + 1]} ({@code pool_layers},
     * lines 109-110).
     */
    public static List<Integer> poolLayers(int layers) {
        if (layers < 0) {
            throw new IllegalArgumentException("layers must be >= 0, but was " + layers);
        }
        int distance = layers / 3;
        return List.of(distance, 2 * distance + 1);
    }

    /**
     * The architecture of {@code space} (one of this class's) written as the reference's arc: per node of the
     * normal cell, then of the reduction cell, {@code x_id x_op y_id y_op}, separated by white space.
     *
     * @throws IllegalArgumentException naming the position of a bad number, or the count when it does not fit
     */
    public static Architecture fromReference(ComposedSpace space, String arc) {
        return ReferenceArc.parse(space, arc, "4 per node");
    }

    /** {@code architecture} as the reference's arc (the inverse of {@link #fromReference}). */
    public static String toReference(Architecture architecture) {
        return ReferenceArc.format(architecture);
    }

    /**
     * A cell of the search child: stride 1 (the reduction cell too), the unused states projected back to the width.
     */
    static CellTemplate searchCell(int nodes, String name) {
        return CellTemplate.builder(name).inputs(2).output(CellOutput.PROJECT_UNUSED_STATES)
                .nodes(nodes, node -> node.pick(2).ops(EnasMicroOps.SEARCH_OPS).distinct(false)).build();
    }

    /** The normal or reduction cell of {@code nodes} nodes. */
    static CellTemplate cell(int nodes, boolean reduction) {
        return CellTemplate.builder(reduction ? "reduce" : "normal").inputs(2).output(CellOutput.CONCAT_UNUSED_STATES)
                .reduction(reduction)
                .nodes(nodes, node -> node.pick(2).ops(EnasMicroOps.OPS).distinct(false)).build();
    }

    /** The sizes of an ENAS micro space; immutable, every setter returns a validated copy. */
    public static final class Builder {
        private final String name;
        private final int layers;
        private final int outFilters;
        private final int nodes;
        private final int inputChannels;
        private final int resolution;
        private final int classes;
        private final String keep;
        private final boolean search;

        private Builder(String name, int layers, int outFilters, int nodes, int inputChannels, int resolution,
                int classes, String keep, boolean search) {
            this.search = search;
            this.name = name;
            this.layers = layers;
            this.outFilters = outFilters;
            this.nodes = nodes;
            this.inputChannels = inputChannels;
            this.resolution = resolution;
            this.classes = classes;
            this.keep = keep;
        }

        /** The space's name. Default {@code enas-micro} ({@code enas-micro-small}). */
        public Builder name(String spaceName) {
            if (spaceName == null || spaceName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + spaceName + "'");
            }
            return new Builder(spaceName, layers, outFilters, nodes, inputChannels, resolution, classes, keep,
                    search);
        }

        /** {@code --child_num_layers}, >= 0 (the network has {@code layers + 2} cells). Default 6 (3). */
        public Builder layers(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("layers must be >= 0, but was " + count);
            }
            return new Builder(name, count, outFilters, nodes, inputChannels, resolution, classes, keep, search);
        }

        /** {@code --child_out_filters}, even and >= 2 (factorized reductions halve it). Default 20 (8). */
        public Builder outFilters(int filters) {
            if (filters < 2 || filters % 2 != 0) {
                throw new IllegalArgumentException("outFilters must be even and >= 2, but was " + filters);
            }
            return new Builder(name, layers, filters, nodes, inputChannels, resolution, classes, keep, search);
        }

        /** {@code --child_num_cells}: nodes per cell, >= 1. Default 5. */
        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("nodes must be >= 1, but was " + count);
            }
            return new Builder(name, layers, outFilters, count, inputChannels, resolution, classes, keep, search);
        }

        /** The input: {@code channels} x {@code size} x {@code size}. Default 3x32x32 (1x28x28). */
        public Builder input(int channels, int size) {
            if (channels < 1 || size < 4) {
                throw new IllegalArgumentException("input channels must be >= 1 and size >= 4, but were " + channels
                        + " and " + size);
            }
            return new Builder(name, layers, outFilters, nodes, channels, size, classes, keep, search);
        }

        /** The number of classes, >= 2 (the reference: 10). */
        public Builder classes(int count) {
            if (count < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + count);
            }
            return new Builder(name, layers, outFilters, nodes, inputChannels, resolution, count, keep, search);
        }

        /** The head's keep probability, one of {@link EnasMicroOps#KEEP_PROBABILITIES}. Default 0.9 (1.0). */
        public Builder keepProbability(String keepProbability) {
            EnasMicroOps.head(keepProbability);
            return new Builder(name, layers, outFilters, nodes, inputChannels, resolution, classes, keepProbability,
                    search);
        }

        /**
         * Whether to build the reference's search child ({@code _enas_layer}, what the controller's search trains
         * with shared weights) instead of its fixed-arc child ({@code _fixed_layer}): ops at stride 1
         * ({@link EnasMicroOps#SEARCH_OPS}); inputs calibrated by {@code _maybe_calibrate_size} alone
         * ({@link EnasMicroOps#SEARCH_CELL_INPUTS}); each cell's unused states projected back to its width
         * ({@link CellOutput#PROJECT_UNUSED_STATES}, {@code final_conv}); a reduction layer a factorized reduction
         * of the last state to the doubled width (the join {@code reduce<layer>}) followed by a stride-1 cell with
         * the reduction arc on {@code [last state, its reduction]}; every batch norm normalizes with the batch's
         * statistics in inference too ({@link SpaceBuilder#batchStatisticsInInference}: {@code _model} builds the
         * search child with {@code is_training=True}), and for the same reason the head's dropout drops in inference
         * too ({@link SpaceBuilder#dropoutInInference}). Its supernet holds each op once per input state a node slot
         * may read ({@code ComposedSupernet}: the reference's per-input-state weights). Default false.
         */
        public Builder searchChild(boolean yes) {
            return new Builder(name, layers, outFilters, nodes, inputChannels, resolution, classes, keep, yes);
        }

        /** The space. */
        public ComposedSpace build() {
            if (search) {
                return buildSearch();
            }
            CellTemplate normal = cell(nodes, false);
            CellTemplate reduce = cell(nodes, true);
            OpCatalogue catalogue = OpCatalogue.standard().withCellInputs(EnasMicroOps.CELL_INPUTS);
            SpaceBuilder b = SpaceBuilder.create(name).catalogue(catalogue).input(inputChannels, resolution, resolution)
                    .classes(classes).layer("stem", "conv_bn_3x3", Width.of(3 * outFilters));
            List<Integer> pools = poolLayers(layers);
            int c = outFilters;
            for (int layer = 0; layer < layers + 2; layer++) {
                boolean reduces = pools.contains(layer);
                if (reduces) {
                    c *= 2;
                }
                b.cell(reduces ? reduce : normal, Width.of(c));
            }
            return b.head(EnasMicroOps.head(keep)).build();
        }

        /** {@code _model} without {@code fixed_arc}: the cells of {@code _enas_layer}. */
        private ComposedSpace buildSearch() {
            CellTemplate normal = searchCell(nodes, "normal");
            CellTemplate reduce = searchCell(nodes, "reduce");
            OpCatalogue catalogue = OpCatalogue.standard().withCellInputs(EnasMicroOps.SEARCH_CELL_INPUTS);
            // _model forces is_training=True without fixed_arc: every BN normalizes with the batch and the head's
            // dropout drops, in every pass
            SpaceBuilder b = SpaceBuilder.create(name).catalogue(catalogue).input(inputChannels, resolution, resolution)
                    .classes(classes).batchStatisticsInInference(true).dropoutInInference(true)
                    .layer("stem", "conv_bn_3x3", Width.of(3 * outFilters));
            List<Integer> pools = poolLayers(layers);
            int c = outFilters;
            String last = "stem";
            for (int layer = 0; layer < layers + 2; layer++) {
                CellTemplate cell = normal;
                if (pools.contains(layer)) {
                    // x = _factorized_reduction(x, out_filters, 2); layers = [layers[-1], x]
                    c *= 2;
                    int width = c;
                    String from = last;
                    b.join("reduce" + layer, j -> j.input("reduce", from, EnasOps.FACTORIZED_REDUCE).stride(2)
                            .width(Width.of(width)));
                    cell = reduce;
                }
                b.cell(cell, Width.of(c));
                last = cell.name() + "#" + layer;
            }
            return b.head(EnasMicroOps.head(keep)).build();
        }
    }
}
