package org.nas4j.spaces.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;

class RecurrentCellSpaceTest {

    private static final String DARTS_V2_TEXT = "Genotype(recurrent=[('sigmoid', 0), ('relu', 1), ('relu', 1),"
            + " ('identity', 1), ('tanh', 2), ('sigmoid', 5), ('tanh', 3), ('relu', 5)], concat=range(1, 9))";

    @Test
    void dartsSpaceHasSixteenChoicesAndEightFactorialTimesFourToTheEightVectors() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        assertEquals(16, space.choices().size());
        assertEquals(List.of("0", "1", "2"), space.choices().get(4).options());
        assertEquals(List.of("tanh", "relu", "sigmoid", "identity"), space.choices().get(5).options());
        assertEquals(40_320L * 65_536L, space.vectorCount());
    }

    @Test
    void publishedDartsCellsReadAndPrintAsTheReferenceWritesThem() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        Architecture v2 = space.parse(DARTS_V2_TEXT);
        assertEquals(DARTS_V2_TEXT, v2.toString());
        assertEquals(RecurrentGenotypes.DARTS_V2, space.genotype(v2));
        assertEquals("sigmoid", v2.option("node 1 activation"));
        assertEquals("5", v2.option("node 8 input"));
        Architecture v1 = space.architecture(RecurrentGenotypes.DARTS_V1);
        assertEquals(RecurrentGenotypes.DARTS_V1.toString(), v1.toString());
        assertEquals(v1, space.parse(v1.toString()));
        assertNotEquals(v1.key(), v2.key());
    }

    @Test
    void enasCellOfTheDartsCodeIsACellOfTheEnasSpaceWithItsLooseEndsAveraged() {
        RecurrentCellSpace space = RecurrentCellSpace.enas();
        assertEquals(1 + 2 * 11, space.choices().size());
        Architecture enas = space.architecture(RecurrentGenotypes.ENAS);
        assertEquals(List.of(2, 5, 6, 9, 10, 11), space.genotype(enas).concat());
        assertEquals(enas, space.parse(enas.toString()));
        Architecture relu0 = enas.with(0, RecurrentGenotype.ACTIVATIONS.indexOf("relu"));
        assertTrue(relu0.toString().endsWith("concat=[2, 5, 6, 9, 10, 11], initial='relu')"), relu0.toString());
        assertEquals(relu0, space.parse(relu0.toString()));
        assertNotEquals(enas.key(), relu0.key());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> space.architecture(
                new RecurrentGenotype(RecurrentGenotypes.ENAS.nodes(), List.of(1, 2, 3))));
        assertTrue(e.getMessage().contains("[2, 5, 6, 9, 10, 11]"), e.getMessage());
    }

    @Test
    void samplesAndMutationsAreValidCellsThatRoundTrip() {
        for (RecurrentCellSpace space : List.of(RecurrentCellSpace.darts(), RecurrentCellSpace.enas())) {
            SplittableRandom rng = new SplittableRandom(7);
            Set<String> texts = new HashSet<>();
            int[] inputOfLastNode = new int[space.nodes()];
            for (int i = 0; i < 2000; i++) {
                Architecture a = space.sample(rng);
                assertEquals(a, space.parse(a.toString()));
                texts.add(a.toString());
                inputOfLastNode[space.genotype(a).nodes().get(space.nodes() - 1).input()]++;
                Architecture m = space.mutate(a, rng);
                int differing = 0;
                for (int c = 0; c < a.size(); c++) {
                    differing += a.index(c) != m.index(c) ? 1 : 0;
                }
                assertEquals(1, differing);
                assertEquals(m, space.parse(m.toString()));
            }
            assertTrue(texts.size() > 1990, "samples repeat too often: " + texts.size());
            // the last node's input is uniform over its options: 2000 / nodes each, 5 standard deviations apart
            double expected = 2000.0 / space.nodes();
            double sd = Math.sqrt(2000 * (1.0 / space.nodes()) * (1 - 1.0 / space.nodes()));
            for (int count : inputOfLastNode) {
                assertEquals(expected, count, 5 * sd, Arrays.toString(inputOfLastNode));
            }
        }
    }

    @Test
    void canonicalKeysAreEqualExactlyForCellsThatDifferByANodeNumbering() {
        RecurrentCellSpace space = RecurrentCellSpace.darts(4);
        List<int[]> permutations = new ArrayList<>();
        permute(new int[] {1, 2, 3, 4}, 0, permutations);
        Map<String, String> representativeOfKey = new HashMap<>();
        Set<String> representatives = new HashSet<>();
        int vectors = 0;
        for (int i1 = 0; i1 < 1; i1++) {
            for (int i2 = 0; i2 < 2; i2++) {
                for (int i3 = 0; i3 < 3; i3++) {
                    for (int i4 = 0; i4 < 4; i4++) {
                        for (int acts = 0; acts < 256; acts++) {
                            int[] inputs = {i1, i2, i3, i4};
                            int[] act = {acts & 3, (acts >> 2) & 3, (acts >> 4) & 3, (acts >> 6) & 3};
                            Architecture a = Architecture.of(space, i1, act[0], i2, act[1], i3, act[2], i4, act[3]);
                            String rep = smallestRenumbering(inputs, act, permutations);
                            representatives.add(rep);
                            String previous = representativeOfKey.putIfAbsent(a.key(), rep);
                            assertTrue(previous == null || previous.equals(rep), "key " + a.key()
                                    + " covers two classes");
                            vectors++;
                        }
                    }
                }
            }
        }
        assertEquals(6144, vectors);
        assertEquals(representatives.size(), representativeOfKey.size());
        Architecture a = space.parse("Genotype(recurrent=[('relu', 0), ('tanh', 0), ('sigmoid', 1), ('identity', 2)],"
                + " concat=range(1, 5))");
        Architecture b = space.parse("Genotype(recurrent=[('tanh', 0), ('relu', 0), ('identity', 1), ('sigmoid', 2)],"
                + " concat=range(1, 5))");
        assertEquals(a.key(), b.key());
        assertNotEquals(a, b);
    }

    /** The lexicographically smallest vector over the renumberings that keep every node after its input. */
    private static String smallestRenumbering(int[] inputs, int[] act, List<int[]> permutations) {
        String best = null;
        for (int[] p : permutations) {
            int n = inputs.length;
            int[] newInputs = new int[n];
            int[] newActs = new int[n];
            boolean ok = true;
            for (int node = 1; node <= n; node++) {
                int to = p[node - 1];
                int from = inputs[node - 1] == 0 ? 0 : p[inputs[node - 1] - 1];
                if (from >= to) {
                    ok = false;
                    break;
                }
                newInputs[to - 1] = from;
                newActs[to - 1] = act[node - 1];
            }
            if (ok) {
                String s = Arrays.toString(newInputs) + Arrays.toString(newActs);
                if (best == null || s.compareTo(best) < 0) {
                    best = s;
                }
            }
        }
        return best;
    }

    private static void permute(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k]; a[k] = a[i]; a[i] = t;
            permute(a, k + 1, out);
            t = a[k]; a[k] = a[i]; a[i] = t;
        }
    }

    @Test
    void graphHasTheNodesTheirActivationsAndTheAverage() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        Graph g = space.cells(space.parse(DARTS_V2_TEXT)).get(0);
        assertEquals(10, g.nodes().size());
        assertEquals(16, g.edges().size());
        assertEquals(new Graph.Edge(5, 6, "sigmoid"), g.edges().get(5));
        assertEquals("average", g.nodes().get(9).op());
    }

    @Test
    void malformedTextAndCellsOfAnotherShapeGetNamedErrors() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse(DARTS_V2_TEXT.replace("'tanh'",
                "'none'"))).getMessage().contains("'none'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse(DARTS_V2_TEXT.replace("('relu', 5)",
                "('relu', 8)"))).getMessage().contains("node 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse(DARTS_V2_TEXT.replace("range(1, 9)",
                "range(2, 9)"))).getMessage().contains("concat"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse(DARTS_V2_TEXT.replace("('relu', 5)]",
                "]").replace("range(1, 9)", "range(1, 8)"))).getMessage().contains("8 nodes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse(DARTS_V2_TEXT.replace("('tanh', 2)",
                "(tanh, 2)"))).getMessage().contains("(tanh,2)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.parse("recurrent=[]"))
                .getMessage().contains("recurrent=[]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecurrentCellSpace.darts(0))
                .getMessage().contains("nodes must be >= 1, but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> space.architecture(RecurrentGenotypes.ENAS))
                .getMessage().contains("8 nodes"));
    }

    @Test
    void dartsV2LanguageModelAtThePtbSizesHasTheReferenceParameterCount() {
        // rnn/model.py: encoder nn.Embedding(10000, 850); DARTSCell._W0 (850 + 850) x (2 * 850), no bias;
        // DARTSCell._Ws: 8 x (850 x 2 * 850), no bias; decoder nn.Linear(850, 10000) with weight = encoder.weight,
        // so only its bias of 10000 is new; model.parameters() counts the tied weight once.
        long expected = 10_000L * 850 + 1_700L * 1_700 + 8L * 850 * 1_700 + 10_000;
        assertEquals(22_960_000L, expected);
        assertEquals(expected, LanguageModelSize.PTB.parameters(RecurrentGenotypes.DARTS_V2.size()));
        assertEquals(10_000L * 850 + 1_700L * 1_700 + 11L * 850 * 1_700 + 10_000,
                LanguageModelSize.PTB.parameters(RecurrentGenotypes.ENAS.size()));
        // per token: W0 1700 x 1700 + 8 x (850 x 1700) + decoder 850 x 10000 multiply-adds
        assertEquals(2_890_000L + 11_560_000L + 8_500_000L, LanguageModelSize.PTB.multiplyAddsPerToken(8));
        assertThrows(IllegalArgumentException.class, () -> LanguageModelSize.PTB.multiplyAddsPerToken(0));
        assertThrows(IllegalArgumentException.class, () -> new LanguageModelSize(65, 32, 48));
        assertThrows(IllegalArgumentException.class, () -> new LanguageModelSize(1, 32, 32));
    }
}
