package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.ComposedSpaces;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Random architectures of spaces made with the space builder, trained two steps, export with output parity. */
class ComposedSpaceExportTest {

    @Test
    void randomArchitecturesExportWithParity() {
        for (ComposedSpace space : List.of(ComposedSpaces.blocks(), ComposedSpaces.cells())) {
            SplitMix64 rng = new SplitMix64(17);
            INDArray x = GradientCheck.random(13, 4, 1, 16, 16).castTo(DataType.FLOAT);
            for (int i = 0; i < 5; i++) {
                Architecture a = space.sample(rng);
                TrainableNetwork net = NetworkCompiler.compile(a, i);
                ExportParity.trainTwoSteps(net, x, new int[] {0, 2, 4, 9});
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
}
