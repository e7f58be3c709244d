package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The NAS-Bench-201 skeleton around the cells (the benchmark's {@code TinyNetwork}), the one implementation shared
 * by the stand-alone networks of {@link NasBench201Factory} and the supernet of
 * {@link org.nas4j.estimators.engine.nb201.Nb201Network}: stem {@code Conv3x3(in->C)-BN}; three stages of N cells
 * at C, 2C and 4C channels, joined by residual reduction blocks ({@code ReLU-Conv3x3(s2)-BN, ReLU-Conv3x3-BN},
 * shortcut {@code AvgPool2x2(s2)-Conv1x1}); head {@code BN-ReLU-GlobalAvgPool-Linear}. The parts are
 * {@link Module}s, so a stand-alone network exports them as they are.
 *
 * <pre>{@code
 * List<Module> layers = Nb201Skeleton.layers(params, new Nb201Skeleton.Dimensions(3, 16, 5, 10), null,
 *         m -> m, (name, c) -> myCell(name, c));
 * }</pre>
 */
public final class Nb201Skeleton {

    private Nb201Skeleton() {
    }

    /**
     * The sizes of the skeleton.
     *
     * @param inputChannels channels of the images, >= 1
     * @param channels      channels C of the first stage, >= 1
     * @param cellsPerStage cells N per stage, >= 1
     * @param classes       number of classes, >= 1
     */
    public record Dimensions(int inputChannels, int channels, int cellsPerStage, int classes) {
        /** Validates the sizes. */
        public Dimensions {
            atLeastOne("inputChannels", inputChannels);
            atLeastOne("channels", channels);
            atLeastOne("cellsPerStage", cellsPerStage);
            atLeastOne("classes", classes);
        }

        private static void atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
            }
        }
    }

    /** Makes the cell at one place of the skeleton. */
    @FunctionalInterface
    public interface CellMaker<L extends Layer> {
        /**
         * @param name     the cell's parameter-name prefix, {@code stage<s>.cell<i>}
         * @param channels its input and output channels
         * @return the cell
         */
        L cell(String name, int channels);
    }

    /**
     * Builds the whole network as a list of layers applied one after the other, declaring the parameters in the
     * benchmark's order: stem, stage 0, reduction 1, stage 1, reduction 2, stage 2, head.
     *
     * @param params where the parameters go
     * @param size   the sizes
     * @param pool   the pool the reduction blocks hand their dead buffers to (see {@link Modules#residual(String,
     *               Module, Module, ArrayPool)}), or null to keep them
     * @param part   how a skeleton part (stem, reduction, head) enters the list, usually the identity
     * @param cells  makes each cell
     * @param <L>    the list's element type (e.g. {@link Module} for an exportable network)
     * @return the layers, the head last
     */
    public static <L extends Layer> List<L> layers(ParameterSet params, Dimensions size, ArrayPool pool,
            Function<Module, L> part, CellMaker<? extends L> cells) {
        List<L> layers = new ArrayList<>();
        int c = size.channels();
        layers.add(part.apply(stem(params, size.inputChannels(), c)));
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                layers.add(part.apply(reduction(params, "reduce" + stage, c, 2 * c, pool)));
                c *= 2;
            }
            for (int i = 0; i < size.cellsPerStage(); i++) {
                layers.add(cells.cell("stage" + stage + ".cell" + i, c));
            }
        }
        layers.add(part.apply(head(params, c, size.classes())));
        return layers;
    }

    /** The stem: 3x3 convolution (padding 1, no bias), affine batch norm. */
    public static Module stem(ParameterSet params, int inputChannels, int channels) {
        return Modules.sequence(
                Modules.conv(params, "stem.conv", new GraphSink.ConvSpec(inputChannels, channels, 3, 1, 1, 1, 1)),
                Modules.batchNorm(params, "stem.bn", channels, true));
    }

    /**
     * The reduction between stages, a ResNet basic block with stride 2: {@code ReLU-Conv3x3(s2)-BN ->
     * ReLU-Conv3x3-BN}, plus a shortcut {@code AvgPool2x2(s2) -> Conv1x1}.
     *
     * @param pool where the block's dead buffers go (null: it keeps them)
     */
    public static Module reduction(ParameterSet params, String name, int in, int out, ArrayPool pool) {
        return Modules.residual(name,
                Modules.sequence(Modules.reluConvBn(params, name + ".a", in, out, 3, 2, true),
                        Modules.reluConvBn(params, name + ".b", out, out, 3, 1, true)),
                Modules.sequence(Modules.averagePool(name + ".shortcut.pool", 2, 2, 0, true),
                        Modules.conv(params, name + ".shortcut.conv", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1))),
                pool);
    }

    /** The head: affine batch norm, ReLU, global average pooling, linear classifier. */
    public static Module head(ParameterSet params, int channels, int classes) {
        return Modules.sequence(Modules.batchNorm(params, "head.bn", channels, true), Modules.relu("head.relu"),
                Modules.globalAveragePool("head.gap"), Modules.classifier(params, "head.classifier", channels,
                        classes));
    }
}
