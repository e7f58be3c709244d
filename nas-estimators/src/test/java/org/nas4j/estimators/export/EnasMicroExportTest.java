package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ENAS micro networks (the fixed-arc child: every op at stride 1 and 2, unused inputs in the output, the
 * calibrations, the head's ReLU and dropout) and search-child networks (the unused states projected), trained two
 * steps, export with output parity; a search-child network, whose batch norms normalize with the batch and whose
 * head's dropout drops in inference, only once both are switched off.
 */
class EnasMicroExportTest {

    @Test
    void microNetworksExportWithParity() {
        // 1 layer (3 cells, the first two reducing: 16 -> 8 -> 4) of 8 filters and 3 nodes on 1x16x16
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-export").layers(1).outFilters(8).nodes(3)
                .input(1, 16).keepProbability("0.8").build();
        INDArray x = GradientCheck.random(17, 4, 1, 16, 16).castTo(DataType.FLOAT);
        String[] arcs = {"0 0 1 1 2 2 1 3 3 4 0 4 1 4 1 1 2 0 1 3 3 2 3 4",
            "1 1 1 1 0 3 2 0 0 2 3 4 0 2 0 0 2 3 0 4 1 1 3 4"};
        for (int i = 0; i < arcs.length; i++) {
            Architecture a = EnasMicroSpace.fromReference(space, arcs[i]);
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

    @Test
    void searchChildNetworksExportWithParity() {
        // the search child (reductions before stride-1 cells, unused states projected): 1 layer, 3 cells, 1x16x16
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-search-export").searchChild(true).layers(1)
                .outFilters(8).nodes(3).input(1, 16).keepProbability("0.9").build();
        INDArray x = GradientCheck.random(18, 4, 1, 16, 16).castTo(DataType.FLOAT);
        String[] arcs = {"0 0 1 1 2 2 1 3 3 4 0 4 1 4 1 1 2 0 1 3 3 2 3 4",
            "1 1 1 1 0 3 2 0 0 2 3 4 0 2 0 0 2 3 0 4 1 1 3 4"};
        for (int i = 0; i < arcs.length; i++) {
            Architecture a = EnasMicroSpace.fromReference(space, arcs[i]);
            TrainableNetwork net = NetworkCompiler.compile(a, i);
            assertEquals(space.parameters(a), net.parameterCount(), arcs[i]);
            ExportParity.trainTwoSteps(net, x, new int[] {0, 3, 6, 9});
            // its BNs normalize with the batch in inference, which DL4J's BatchNormalization cannot
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ComputationGraphExport.toComputationGraph(net));
            assertTrue(refused.getMessage().contains("batch's statistics in inference"), refused.getMessage());
            net.parameters().runningStatistics().forEach(s -> s.batchStatisticsInInference(false));
            // its head's dropout drops in inference too, which the graph's (the identity) does not
            IllegalArgumentException dropping = assertThrows(IllegalArgumentException.class,
                    () -> ComputationGraphExport.toComputationGraph(net));
            assertTrue(dropping.getMessage().contains("1 of its dropout layers drop in inference"),
                    dropping.getMessage());
            // with running statistics and no inference dropout, the rest of the network (projections, reductions)
            // exports with parity
            net.parameters().dropouts().forEach(d -> d.dropInInference(false));
            INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
            ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
            assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), arcs[i]);
            INDArray actual = graph.outputSingle(x);
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff <= ExportParity.TOLERANCE, arcs[i] + ": max |engine - dl4j| = " + diff);
        }
    }
}
