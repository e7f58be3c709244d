package org.nas4j.spaces.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nas4j.spaces.Spaces;

/** DARTS' derive rule on hand-set architecture weights. */
class RecurrentCellDerivationTest {

    @Test
    void keepsPerNodeTheEdgeWithTheLargestNonNoneProbability() {
        // 3 nodes: rows 0 (node 1 from s0), 1-2 (node 2 from s0, s1), 3-5 (node 3 from s0, s1, s2);
        // columns none, tanh, relu, sigmoid, identity
        double[][] w = {
            {5, 0, 0, 1, 0},      // node 1: none is largest, but only the best non-none counts: sigmoid
            {0, 0, 2, 0, 0},      // node 2 from s0: relu, p = e^2 / (e^2 + 4)
            {0, 0, 0, 0, 2.5},    // node 2 from s1: identity, larger
            {0, 1, 0, 0, 0},      // node 3 from s0: tanh, p = e / (e + 4)
            {9, 3, 0, 0, 0},      // node 3 from s1: tanh has the largest logit but a small probability (none)
            {0, 0, 0, 1.5, 0},    // node 3 from s2: sigmoid, p = e^1.5 / (e^1.5 + 4), the largest probability
        };
        RecurrentGenotype g = RecurrentCellDerivation.derive(w);
        assertEquals("Genotype(recurrent=[('sigmoid', 0), ('identity', 1), ('sigmoid', 2)], concat=range(1, 4))",
                g.toString());
    }

    @Test
    void tiesGoToTheFirstEdgeAndTheFirstActivation() {
        double[][] uniform = new double[RecurrentCellDerivation.edges(8)][5];
        RecurrentGenotype g = RecurrentCellDerivation.derive(uniform);
        for (RecurrentGenotype.Node node : g.nodes()) {
            assertEquals(new RecurrentGenotype.Node("tanh", 0), node);
        }
        // the derived text parses in the darts-rnn space
        assertEquals(g, Spaces.dartsRecurrent().genotype(Spaces.dartsRecurrent().parse(g.toString())));
    }

    @Test
    void rejectsWeightsOfNoCellShape() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> RecurrentCellDerivation.derive(new double[5][5]));
        assertEquals("weights must have steps * (steps + 1) / 2 rows (36 for 8 nodes), but had 5", rows.getMessage());
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                () -> RecurrentCellDerivation.derive(new double[3][4]));
        assertEquals("every row of weights must have 5 columns [none, tanh, relu, sigmoid, identity], but one had 4",
                columns.getMessage());
        assertEquals(36, RecurrentCellDerivation.edges(8));
    }
}
