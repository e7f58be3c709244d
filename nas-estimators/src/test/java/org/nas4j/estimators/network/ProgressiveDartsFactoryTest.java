package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Cells of fewer blocks than the maximum, from a progressive space, compile into counted, runnable networks. */
class ProgressiveDartsFactoryTest {
    private static final DartsSpace PNAS = DartsSpace.pnasProgressive();

    @Test
    void oneAndThreeBlockCellsCompileAndCountTheirParameters() {
        Architecture one = PNAS.parse("Genotype(normal=[('sep_conv_7x7', 0), ('max_pool_3x3', 1)], normal_concat=[2],"
                + " reduce=[('sep_conv_7x7', 0), ('max_pool_3x3', 1)], reduce_concat=[2])");
        Architecture two = PNAS.expansions(one).get(123);
        Architecture three = PNAS.expansions(two).get(345);
        assertEquals(3, PNAS.blocks(three));
        long previous = 0;
        for (Architecture a : List.of(one, three)) {
            long expected = DartsCostModel.cifar(PNAS.genotype(a)).channels(8).layers(5).auxiliary(false).build()
                    .parameters();
            TrainableNetwork net = new DartsFactory(PNAS, 8, 5, 10, 3, 32).build(a, 1);
            assertEquals(expected, net.parameterCount(), a.toString());
            assertTrue(expected > previous);
            previous = expected;
            TrainableNetwork tiny = new DartsFactory(PNAS, 4, 3, 10, 1, 8).build(a, 2);
            INDArray out = tiny.forward(GradientCheck.random(4, 2, 1, 8, 8).castTo(DataType.FLOAT), Mode.INFERENCE);
            assertArrayEquals(new long[] {2, 10}, out.shape());
        }
    }

    @Test
    void theSearchCellRefusesProgressiveSpaces() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DartsDefinition.cell(DartsSpace.builder().progressive(true).build(), false));
        assertTrue(e.getMessage().contains("progressive=true"), e.getMessage());
    }
}
