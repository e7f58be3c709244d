package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;

/** Small spaces made with the space builder, for the compiler and export tests. */
public final class ComposedSpaces {

    private ComposedSpaces() {
    }

    /**
     * A stem, 1-2 blocks of a chosen op and kernel, a residual reduction, a 2-node cell, a head; 1x16x16 input.
     */
    public static ComposedSpace blocks() {
        CellTemplate cell = CellTemplate.builder("cell")
                .nodes(2, n -> n.ops("none", "skip_connect", "nor_conv_1x1", "avg_pool_3x3")).build();
        return SpaceBuilder.create("blocks").input(1, 16, 16).classes(10)
                .value("width", 4, 6)
                .layer("stem", "conv_bn_3x3", Width.value("width"))
                .repeat("blocks", 1, 2, b -> b.value("k", 3, 5)
                        .choice("op", List.of("nor_conv_{k}x{k}", "sep_conv_{k}x{k}", "skip_connect", "max_pool_3x3")))
                .layer("reduce", "res_block_3x3", Width.times(2), 2)
                .cell(cell, Width.same())
                .head("bn_relu_pool_linear")
                .build();
    }

    /** DARTS-style: stem, normal, reduction and normal cells of 2 nodes picking 2 inputs; 1x16x16 input. */
    public static ComposedSpace cells() {
        return cells(16);
    }

    /** As {@link #cells()}, for {@code 1 x imageSize x imageSize} input. */
    public static ComposedSpace cells(int imageSize) {
        List<String> ops = List.of("sep_conv_3x3", "dil_conv_3x3", "max_pool_3x3", "skip_connect", "avg_pool_3x3");
        CellTemplate normal = CellTemplate.builder("normal").inputs(2).output(CellOutput.CONCAT_ALL)
                .nodes(2, n -> n.pick(2).ops(ops)).build();
        return SpaceBuilder.create("cells").input(1, imageSize, imageSize).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(12))
                .cell(normal, Width.of(4)).cell(normal.reducing("reduce"), Width.of(8)).cell(normal, Width.of(8))
                .head("pool_linear")
                .build();
    }
}
