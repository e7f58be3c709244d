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
 * ENAS macro networks (every branch, skips on and off, the reductions of every state, the head's dropout; the search
 * child and the fixed-arc child), trained two steps, export with output parity.
 */
class EnasMacroExportTest {

    @Test
    void macroNetworksExportWithParity() {
        // 4 layers of 8 filters on 1x16x16: reductions after layers 0 and 1 (16 -> 8 -> 4)
        ComposedSpace space = EnasMacroSpace.small().name("enas-export").layers(4).outFilters(8).input(1, 16)
                .build();
        INDArray x = GradientCheck.random(17, 4, 1, 16, 16).castTo(DataType.FLOAT);
        ComposedSpace fixed = EnasMacroSpace.small().name("enas-export-fixed").layers(4).outFilters(8).input(1, 16)
                .branches(4).keepProbability("0.5").fixedChild(true).build();
        String[] arcs = {"0 1 1 2 1 1 3 1 0 1", "4 5 0 1 1 0 2 0 1 1", "3 0 1 4 0 1 5 1 1 1", "1 2 1 3 0 1 0 1 1 1"};
        for (int i = 0; i < arcs.length; i++) {
            Architecture a = EnasMacroSpace.fromReference(i == 3 ? fixed : space, arcs[i]);
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            ExportParity.trainTwoSteps(net, x, new int[] {0, 3, 6, 9});
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), arcs[i]);
            INDArray actual = graph.outputSingle(x);
            assertArrayEquals(expected.shape(), actual.shape());
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, arcs[i] + ": max |engine - dl4j| = " + diff);
        }
    }
}
