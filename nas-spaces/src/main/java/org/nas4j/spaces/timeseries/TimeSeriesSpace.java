package org.nas4j.spaces.timeseries;

import static org.nas4j.core.config.Require.atLeast;

import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * POPNASv3's cell space for time-series classification, written with the space builder on
 * {@code channels x 1 x length} maps ({@link TimeSeriesOps}).
 *
 * <p>A cell has two inputs (the outputs of the two steps before it, POPNASv3's lookback depth 2) and
 * {@code blocks} blocks; a block picks two of the earlier states (inputs or blocks, the same one twice allowed) and
 * adds one op of {@link TimeSeriesOps#CELL_OPS} on each; the cell concatenates the blocks no other block reads.
 * The skeleton: a stem convolution to {@code filters}, then {@code motifs} motifs of {@code normalCells} normal
 * cells, with a reduction cell (stride 2 along time, filters doubled) before every motif but the first, then
 * global average pooling and a linear classifier.
 *
 * <pre>{@code
 * ComposedSpace gunPoint = TimeSeriesSpace.popnas("gunpoint", 1, 150, 2);            // POPNASv3's settings
 * ComposedSpace small = TimeSeriesSpace.create("italy", 1, 24, 2, new TimeSeriesSpace.Skeleton(2, 8, 2, 1));
 * }</pre>
 */
public final class TimeSeriesSpace {

    /**
     * The network's outline.
     *
     * @param blocks      blocks per cell, at least 1 (POPNASv3: 5)
     * @param filters     channels of the first motif's cells, doubled at each reduction (POPNASv3: 24)
     * @param motifs      motifs, at least 1 (POPNASv3: 3)
     * @param normalCells normal cells per motif, at least 1 (POPNASv3: 2)
     */
    public record Skeleton(int blocks, int filters, int motifs, int normalCells) {
        /** POPNASv3's time-series settings ({@code src/configs/run_ts.json}). */
        public static final Skeleton POPNAS = new Skeleton(5, 24, 3, 2);

        public Skeleton {
            atLeast("blocks", blocks, 1);
            atLeast("filters", filters, 1);
            atLeast("motifs", motifs, 1);
            atLeast("normalCells", normalCells, 1);
        }
    }

    private TimeSeriesSpace() {
    }

    /** The space with POPNASv3's skeleton ({@link Skeleton#POPNAS}). */
    public static ComposedSpace popnas(String name, int channels, int length, int classes) {
        return create(name, channels, length, classes, Skeleton.POPNAS);
    }

    /**
     * The space for series of {@code channels} channels and {@code length} steps in {@code classes} classes.
     * A length that the reductions would bring below one step fails at build time with a named
     * {@code SHAPE_MISMATCH}.
     */
    public static ComposedSpace create(String name, int channels, int length, int classes, Skeleton skeleton) {
        return create(name, channels, length, classes, skeleton, TimeSeriesOps.CELL_OPS);
    }

    /**
     * As {@link #create(String, int, int, int, Skeleton)}, the blocks choosing among {@code ops} only, e.g. all
     * but {@code lstm} and {@code gru} for a space without recurrent blocks.
     *
     * @param ops a non-empty subset of {@link TimeSeriesOps#CELL_OPS}, without repeats
     */
    public static ComposedSpace create(String name, int channels, int length, int classes, Skeleton skeleton,
            java.util.List<String> ops) {
        if (ops.isEmpty() || !TimeSeriesOps.CELL_OPS.containsAll(ops)
                || java.util.Set.copyOf(ops).size() != ops.size()) {
            throw new IllegalArgumentException("ops must be a non-empty subset of " + TimeSeriesOps.CELL_OPS
                    + " without repeats, but was " + ops);
        }
        java.util.List<String> chosen = java.util.List.copyOf(ops);
        CellTemplate normal = CellTemplate.builder("normal").inputs(2).output(CellOutput.CONCAT_UNUSED)
                .nodes(skeleton.blocks(), node -> node.pick(2).distinct(false).ops(chosen))
                .build();
        CellTemplate reduce = normal.reducing("reduce");
        SpaceBuilder b = SpaceBuilder.create(name).catalogue(TimeSeriesOps.catalogue())
                .input(channels, 1, length).classes(classes)
                .layer("stem", "conv_bn_k7", Width.of(skeleton.filters()));
        int filters = skeleton.filters();
        for (int m = 0; m < skeleton.motifs(); m++) {
            if (m > 0) {
                filters *= 2;
                b.cell(reduce, Width.of(filters));
            }
            b.cells(normal, skeleton.normalCells(), Width.of(filters));
        }
        return b.head("pool_linear").build();
    }
}
