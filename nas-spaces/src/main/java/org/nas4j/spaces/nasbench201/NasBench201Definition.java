package org.nas4j.spaces.nasbench201;

import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/**
 * NAS-Bench-201 written with the {@link SpaceBuilder}: the same network as {@link NasBench201Space} and
 * {@link NasBench201CostModel}, choice for choice (the six edge ops in the arch string's order), with the same
 * parameter and multiply-add counts and the same 6,466 canonical classes.
 *
 * <pre>{@code
 * ComposedSpace nb201 = NasBench201Definition.of(NasBench201Space.standard());
 * nb201.definition();
 * // space nas-bench-201: input 3x32x32, classes 10
 * //   layer stem: conv_bn_3x3 -> 16
 * //   cell cell#0 -> same ... (5 cells), layer reduce1: res_block_3x3 -> x2, stride 2, ...
 * //   head: bn_relu_pool_linear -> 10
 * //   cell cell: inputs 1, output last_node
 * //     node n1: all of earlier states, ops [none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3] ...
 * }</pre>
 */
public final class NasBench201Definition {

    private NasBench201Definition() {
    }

    /** The cell: node j sums one op of {@link NasBench201Space#OPS} on each edge from every earlier node. */
    public static CellTemplate cell() {
        return CellTemplate.builder("cell").inputs(1).nodes(NasBench201Space.NODES - 1,
                node -> node.ops(NasBench201Space.OPS)).build();
    }

    /** The builder of {@code space}'s network, for adding constraints before building. */
    public static SpaceBuilder builder(NasBench201Space space) {
        NasBench201CostModel n = space.network();
        CellTemplate cell = cell();
        SpaceBuilder b = SpaceBuilder.create(space.name())
                .input(n.inputChannels(), n.imageSize(), n.imageSize())
                .classes(n.classes())
                .layer("stem", "conv_bn_3x3", Width.of(n.channels()));
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                b.layer("reduce" + stage, "res_block_3x3", Width.times(2), 2);
            }
            b.cells(cell, n.cellsPerStage(), Width.same());
        }
        return b.head("bn_relu_pool_linear");
    }

    /** {@code space} written with the builder. */
    public static ComposedSpace of(NasBench201Space space) {
        return builder(space).build();
    }
}
