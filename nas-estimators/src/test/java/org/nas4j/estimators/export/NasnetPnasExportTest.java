package org.nas4j.estimators.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.DartsFactory;
import org.nas4j.estimators.network.NasnetPnasFactoryTest;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotypes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * NASNet-A, a cell with every NASNet op and a PNAS cell, trained for two steps, export to DL4J graphs that give the
 * engine's outputs (rectangular 1 x k / k x 1 convolutions with per-dimension stride and padding, plain
 * convolutions, 5x5 and 7x7 max pooling) and survive a {@code ModelSerializer} round trip.
 */
class NasnetPnasExportTest {

    @Test
    void nasnetAExportsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        checkParity(DartsSpace.nasnet(), Genotypes.NASNET.toString(), dir);
    }

    @Test
    void everyNasnetOpExportsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        checkParity(DartsSpace.nasnet(), NasnetPnasFactoryTest.EVERY_NASNET_OP, dir);
    }

    @Test
    void pnasCellExportsAndSurvivesSerialization(@TempDir Path dir) throws Exception {
        checkParity(DartsSpace.pnas(), NasnetPnasFactoryTest.PNAS_CELL, dir);
    }

    private static void checkParity(DartsSpace space, String genotype, Path dir) throws Exception {
        TrainableNetwork net = new DartsFactory(space, 4, 3, 10, 1, 16).build(space.parse(genotype), 3);
        INDArray x = GradientCheck.random(11, 4, 1, 16, 16).castTo(DataType.FLOAT);
        ExportParity.trainTwoSteps(net, x, new int[] {2, 4, 6, 8});
        INDArray expected = Transforms.softmax(net.forward(x, Mode.INFERENCE).dup(), false);
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        assertEquals(net.parameterCount(), ExportParity.graphParameters(graph), genotype);
        INDArray actual = graph.outputSingle(x);
        assertArrayEquals(expected.shape(), actual.shape());
        double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(diff <= ExportParity.TOLERANCE, genotype + ": max |engine - dl4j| = " + diff);

        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        double restoredDiff = Transforms.abs(actual.sub(restored.outputSingle(x))).maxNumber().doubleValue();
        assertEquals(0.0, restoredDiff, 1e-7, genotype);
    }
}
