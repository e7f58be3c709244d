package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ProxylessNAS-style chains (MBConv, ReLU6, skipped layers), trained two steps, export with output parity. */
class MobileChainExportTest {

    @Test
    void chainsExportWithParity() {
        List<String> ops = new ArrayList<>();
        for (int k : new int[] {3, 5, 7}) {
            for (int e : new int[] {3, 6}) {
                ops.add("mbconv_" + k + "x" + k + "_e" + e);
            }
        }
        List<String> skippable = new ArrayList<>(ops);
        skippable.add("zero");
        ComposedSpace space = SpaceBuilder.create("mobile-chain").input(1, 16, 16).classes(10)
                .layer("first_conv", "conv_bn_relu6_3x3", Width.of(8), 1)
                .layer("first_block", "mbconv_3x3_e1", Width.of(4))
                .choice("layer1", ops, Width.of(8), 2)
                .choice("layer2", skippable, Width.of(8), 1)
                .layer("feature_mix", "conv_bn_relu6_1x1", Width.of(16))
                .head("pool_linear").build();
        INDArray x = GradientCheck.random(13, 4, 1, 16, 16).castTo(DataType.FLOAT);
        for (int[] v : new int[][] {{0, 6}, {5, 1}, {2, 3}, {4, 6}}) {
            Architecture a = Architecture.of(space, v);
            TrainableNetwork net = NetworkCompiler.compile(a, v[0]);
            ExportParity.trainTwoSteps(net, x, new int[] {0, 2, 4, 9});
            // batch norm scales of 4 put many ReLU6 inputs above 6, so that the export must clip as the engine does
            for (Parameter p : net.parameters().parameters()) {
                if (p.name().endsWith(".gamma")) {
                    p.value().assign(4);
                }
            }
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), a.toString());
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, a + ": max |engine - dl4j| = " + diff);
        }
    }
}
