package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ENAS macro networks with whole_channels=False (every branch on its range, final_conv, skips, reductions; the
 * search child and the fixed-arc child), trained two steps, export with output parity.
 */
class EnasMacroChannelsExportTest {

    @Test
    void channelRangeNetworksExportWithParity() {
        // 3 layers of 4 filters on 1x8x8: reductions after layers 0 and 1 (8 -> 4 -> 2)
        String arc = "0 3 1 2 2 2 3 1 0 1 1 3" + " 2 2 2 2 2 2 2 2 2 2 2 2 1" + " 0 3 0 3 0 3 0 3 0 3 0 3 0 1";
        INDArray x = GradientCheck.random(17, 4, 1, 8, 8).castTo(DataType.FLOAT);
        for (boolean fixed : new boolean[] {false, true}) {
            ComposedSpace space = EnasMacroSpace.small().wholeChannels(false).fixedChild(fixed).layers(3)
                    .outFilters(4).input(1, 8).build();
            Architecture a = EnasMacroSpace.fromReference(space, arc);
            TrainableNetwork net = NetworkCompiler.compile(a, 1);
            ExportParity.trainTwoSteps(net, x, new int[] {0, 3, 6, 9});
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), "fixed=" + fixed);
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, "fixed=" + fixed + ": max |engine - dl4j| = " + diff);
        }
    }
}
