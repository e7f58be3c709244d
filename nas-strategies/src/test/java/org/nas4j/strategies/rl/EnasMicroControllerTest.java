package org.nas4j.strategies.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.strategies.oneshot.Enas;

/** The ENAS micro controller: its gradient, its samples, its size and its bad inputs. */
class EnasMicroControllerTest {
    static final ComposedSpace SEARCH = EnasMicroSpace.searchChild();

    static int[] sizes(List<Choice> choices) {
        return choices.stream().mapToInt(Choice::size).toArray();
    }

    /** The sizes of a micro space's arc with {@code nodes} nodes and {@code ops} ops. */
    static int[] microSizes(int nodes, int ops) {
        int[] s = new int[8 * nodes];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 2 == 0 ? i % (4 * nodes) / 4 + 2 : ops;
        }
        return s;
    }

    /**
     * Central differences of {@code f = a log p + e H} at every coordinate in {@code coords} against the analytic
     * gradient. Step 1e-5 in double: the truncation error is about step^2 / 6 times a third derivative of order 1
     * (~2e-11), the rounding error about eps |f| / step = 2.2e-16 * 40 / 1e-5 (~1e-9): 1e-6 absolute plus 1e-6
     * relative leaves a margin of 1000 over both, and a gradient term dropped or mis-scaled moves an entry by far
     * more.
     */
    static void checkGradient(EnasMicroController c, int[] arc, double a, double e, int[] coords) {
        ParameterSet p = c.parameters();
        c.objective(arc, a, e, true);
        double[] analytic = HostArrays.read(p.gradients());
        double step = 1e-5;
        for (int i : coords) {
            double v = p.values().getDouble(i);
            p.values().putScalar(i, v + step);
            double up = c.objective(arc, a, e, false);
            p.values().putScalar(i, v - step);
            double down = c.objective(arc, a, e, false);
            p.values().putScalar(i, v);
            double numeric = (up - down) / (2 * step);
            assertEquals(numeric, analytic[i], 1e-6 + 1e-6 * Math.abs(numeric), "coordinate " + i + " ("
                    + owner(p, i) + ")");
        }
    }

    static String owner(ParameterSet p, int i) {
        return p.parameters().stream().filter(q -> q.offset() <= i && i < q.offset() + q.length())
                .map(q -> q.name()).findFirst().orElseThrow();
    }

    static int[] all(EnasMicroController c) {
        return java.util.stream.IntStream.range(0, (int) c.parameters().size()).toArray();
    }

    @Test
    void gradientOfTheLogProbabilityMatchesFiniteDifferences() {
        // 2 stacked layers, temperature and both tanh constants on: every term of the model is exercised
        MicroControllerSettings s = MicroControllerSettings.reference().withLayers(2).withTemperature(1.7);
        EnasMicroController c = new EnasMicroController(microSizes(3, 5), 6, 0.5, s, 3, null);
        // an arc that reads the node anchors (indices >= 2) as later inputs, so gradients flow back through them
        int[] arc = c.sample(new SplitMix64(5));
        arc[8] = 2;   // node 2's x_id reads node 0 (normal cell)
        arc[22] = 3;  // node 2's y_id reads node 1 (reduction cell)
        checkGradient(c, arc, 1, 0, all(c));
    }

    @Test
    void gradientOfLogProbabilityPlusEntropyMatchesFiniteDifferences() {
        EnasMicroController c = new EnasMicroController(microSizes(2, 4), 5, 0.5, MicroControllerSettings.reference(),
                11, null);
        int[] arc = c.sample(new SplitMix64(2));
        checkGradient(c, arc, -0.7, 0.3, all(c));
        // no tanh, no temperature: the plain softmax path
        EnasMicroController plain = new EnasMicroController(microSizes(2, 4), 5, 0.5,
                MicroControllerSettings.reference().withTanhConstant(0), 11, null);
        checkGradient(plain, arc, 0.4, -1.3, all(plain));
    }

    @Test
    void gradientWithAMaskMatchesFiniteDifferences() {
        int[] sizes = microSizes(2, 5);
        boolean[][] allowed = new boolean[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            allowed[i] = new boolean[sizes[i]];
            Arrays.fill(allowed[i], true);
        }
        allowed[1][0] = false;
        allowed[4][1] = false;
        EnasMicroController c = new EnasMicroController(sizes, 4, 0.5, MicroControllerSettings.reference(), 7, allowed);
        SplitMix64 rng = new SplitMix64(9);
        for (int n = 0; n < 300; n++) {
            int[] arc = c.sample(rng);
            assertTrue(arc[1] != 0 && arc[4] != 1, Arrays.toString(arc));
        }
        checkGradient(c, c.sample(rng), 1, 0.5, all(c));
    }

    @Test
    void gradientAtTheReferenceSizesMatchesFiniteDifferencesOnSampledCoordinates() {
        EnasMicroController c = (EnasMicroController) Enas.microController().policy(SEARCH, 4);
        int[] arc = c.sample(new SplitMix64(1));
        SplitMix64 pick = new SplitMix64(3);
        int n = (int) c.parameters().size();
        int[] coords = new int[300];
        for (int i = 0; i < coords.length; i++) {
            coords[i] = (int) pick.nextLong(n);
        }
        // b_soft, g_emb and v_attn whole: the small parameters every cell reads
        int[] extra = c.parameters().parameters().stream()
                .filter(q -> List.of("b_soft", "g_emb", "v_attn").contains(q.name()))
                .flatMapToInt(q -> java.util.stream.IntStream.range((int) q.offset(), (int) (q.offset() + q.length())))
                .toArray();
        checkGradient(c, arc, 1, 1e-2, coords);
        checkGradient(c, arc, 1, 0, extra);
    }

    /**
     * At the reference's sizes (H = 64 units, 1 layer, B = 5 ops): the LSTM {@code w [2H, 4H]} (micro_controller.py
     * {@code _create_params}, no bias in {@code stack_lstm}) 32,768; {@code g_emb [1, H]} 64; {@code w_emb [B, H]}
     * 320; {@code w_soft [H, B]} 320; {@code b_soft [1, B]} 5; {@code w_attn_1} and {@code w_attn_2 [H, H]} 4,096
     * each; {@code v_attn [H, 1]} 64: 41,733. The size does not depend on the number of nodes.
     */
    @Test
    void parameterCountAtTheReferenceSizes() {
        int h = 64;
        int b = 5;
        long expected = 2L * h * 4 * h + h + b * h + h * b + b + 2L * h * h + h;
        assertEquals(41_733, expected);
        Policy p = Enas.microController().policy(SEARCH, 0);
        assertEquals(expected, p.parameters().size());
        double[] bias = p.parameters().parameters().stream().filter(q -> q.name().equals("b_soft"))
                .findFirst().orElseThrow().value().toDoubleVector();
        assertArrayEquals(new double[] {10, 10, 0, 0, 0}, bias, 0);
    }

    @Test
    void everySampleIsAValidArcOfTheSearchChild() {
        Policy p = Enas.microController().policy(SEARCH, 6);
        SplitMix64 rng = new SplitMix64(6);
        boolean readsANode = false;
        for (int n = 0; n < 200; n++) {
            Architecture a = Architecture.of(SEARCH, p.sample(rng));
            assertTrue(SEARCH.isValid(a), a.toString());
            assertEquals(a, EnasMicroSpace.fromReference(SEARCH, EnasMicroSpace.toReference(a)));
            for (int i = 8; i < 40; i += 2) {
                readsANode |= i % 20 >= 8 && a.index(i) >= 2;
            }
        }
        assertTrue(readsANode, "some node reads an earlier node");
    }

    @Test
    void seededSamplingIsDeterministic() {
        Policy a = Enas.microController().policy(SEARCH, 1);
        Policy b = Enas.microController().policy(SEARCH, 1);
        SplitMix64 ra = new SplitMix64(4);
        SplitMix64 rb = new SplitMix64(4);
        SplitMix64 other = new SplitMix64(5);
        boolean differs = false;
        for (int n = 0; n < 20; n++) {
            int[] x = a.sample(ra);
            assertArrayEquals(x, b.sample(rb));
            differs |= !Arrays.equals(x, a.sample(other));
        }
        assertTrue(differs, "another seed draws other arcs");
    }

    @Test
    void theFirstOpsFollowTheReferencesBiases() {
        // b_soft starts at 10 for ops 0 and 1, so their op logit is c tanh(10 + h w) = 0.44 (c = 1.1 / 2.5) and the
        // others' about 0; the normal cell adds +0.25 / -0.25 (b_soft_no_learn), the reduction cell nothing. The
        // first op's p(op 0 or 1): normal 2e^0.69 / (2e^0.69 + 3e^-0.23) = 0.63, reduction 2e^0.44 / (2e^0.44 + 3)
        // = 0.51 (0.4 without biases). Over 1000 samples the standard error is at most 0.016: +-0.07 is over 4 of
        // them, and each expected value is 0.12 from the other's
        Policy c = Enas.microController().policy(SEARCH, 2);
        SplitMix64 rng = new SplitMix64(8);
        int normal = 0;
        int reduction = 0;
        for (int n = 0; n < 1000; n++) {
            int[] arc = c.sample(rng);
            normal += arc[1] < 2 ? 1 : 0;
            reduction += arc[21] < 2 ? 1 : 0;
        }
        assertEquals(0.63, normal / 1000.0, 0.07);
        assertEquals(0.51, reduction / 1000.0, 0.07);
    }

    /** The saved state of {@code config}'s search on {@link #SEARCH} after one trial of score 50 (percent). */
    private static com.fasterxml.jackson.databind.node.ObjectNode afterOneTrial(Reinforce config, int[] vector) {
        org.nas4j.core.search.Strategy s = config.create(new org.nas4j.core.search.SearchContext(SEARCH,
                org.nas4j.core.search.Objective.maximize(org.nas4j.core.search.Metric.VALIDATION_ACCURACY), 7));
        Architecture a = s.ask().proposal().architecture();
        System.arraycopy(a.vector(), 0, vector, 0, vector.length);
        s.tell(new org.nas4j.core.search.Trial(0, a, org.nas4j.core.search.TrialState.COMPLETE,
                java.util.Map.of(org.nas4j.core.search.Metric.VALIDATION_ACCURACY, 50.0), "", 0, 1, 0));
        return ((org.nas4j.core.search.CheckpointableStrategy) s).saveState();
    }

    @Test
    void enasUpdateStartsTheBaselineAtZeroAndPutsTheEntropyInTheReward() {
        Reinforce enas = Enas.microController().aggregate(1);
        int[] vector = new int[40];
        var state = afterOneTrial(enas, vector);
        // the reward: 50% scaled to 0.5, plus 1e-4 times the sample's entropy under the initial weights; the
        // baseline moves from 0 by (1 - 0.99) of it before the advantage is taken (build_trainer)
        double entropy = enas.policy(SEARCH, 7).objective(vector, 0, 1, false);
        double reward = 0.5 + 1e-4 * entropy;
        double baseline = org.nas4j.strategies.learning.StateCodec.decode(state.get("baseline").asText())[0];
        assertEquals(0.01 * reward, baseline, 1e-15, "entropy " + entropy);
        // the first trial moves the weights (advantage 0.99 R), where nas4j's update, whose baseline starts at the
        // first reward, does not move them without an entropy term
        double[] initial = HostArrays.read(enas.policy(SEARCH, 7).parameters().values());
        double[] after = org.nas4j.strategies.learning.StateCodec.decode(state.get("parameters").asText());
        assertFalse(Arrays.equals(initial, after), "ENAS' update moved the weights");
        var generic = afterOneTrial(enas.enasUpdate(false).entropyWeight(0), vector);
        assertArrayEquals(initial, org.nas4j.strategies.learning.StateCodec.decode(generic.get("parameters")
                .asText()), 0);
    }

    @Test
    void badSizesAndSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Enas.microController().policy(Spaces.nasBench201(), 0));
        assertTrue(e.getMessage().contains("sizes must hold two cells"), e.getMessage());
        int[] bad = microSizes(2, 5);
        bad[7] = 3;
        e = assertThrows(IllegalArgumentException.class, () -> new EnasMicroController(bad, 4, 0.1,
                MicroControllerSettings.reference(), 0, null));
        assertEquals("sizes[7] must be 5 (node 1's op, as sizes[1]), but was 3", e.getMessage());
        bad[7] = 5;
        bad[4] = 2;
        e = assertThrows(IllegalArgumentException.class, () -> new EnasMicroController(bad, 4, 0.1,
                MicroControllerSettings.reference(), 0, null));
        assertEquals("sizes[4] must be 3 (node 1's input index over 3 earlier states), but was 2", e.getMessage());
        assertEquals("layers must be in [1, 8], but was 0", assertThrows(IllegalArgumentException.class,
                () -> MicroControllerSettings.reference().withLayers(0)).getMessage());
        assertEquals("tanhConstant must be a finite number >= 0 (0: none), but was -1.0",
                assertThrows(IllegalArgumentException.class,
                        () -> MicroControllerSettings.reference().withTanhConstant(-1)).getMessage());
        assertEquals("opTanhReduce must be a finite number > 0, but was 0.0", assertThrows(
                IllegalArgumentException.class, () -> MicroControllerSettings.reference().withOpTanhReduce(0))
                .getMessage());
        assertEquals("temperature must be a finite number >= 0 (0: none), but was NaN", assertThrows(
                IllegalArgumentException.class, () -> MicroControllerSettings.reference().withTemperature(Double.NaN))
                .getMessage());
        assertEquals("microController settings must not be null", assertThrows(IllegalArgumentException.class,
                () -> Reinforce.create().microController(null)).getMessage());
        assertEquals("actions[1] must be in [0, 4], but was 5", assertThrows(IllegalArgumentException.class,
                () -> Enas.microController().policy(SEARCH, 0).objective(withOp(5), 1, 0, false)).getMessage());
        assertEquals("rewardScale must be a finite number > 0, but was 0.0", assertThrows(
                IllegalArgumentException.class, () -> Reinforce.create().rewardScale(0)).getMessage());
        String config = Enas.microController().configuration();
        for (String key : List.of("ENAS_MICRO", "tanhConstant=1.1", "opTanhReduce=2.5", "temperature=0.0",
                "lstmLayers=1", "enasUpdate=true", "rewardScale=0.01", "hiddenUnits=64", "learningRate=0.0035",
                "baselineDecay=0.99", "entropyWeight=1.0E-4", "initRange=0.1", "aggregate=10")) {
            assertTrue(config.contains(key), key + " in " + config);
        }
        assertFalse(Reinforce.create().configuration().contains("enasUpdate"));
    }

    private static int[] withOp(int op) {
        int[] a = new int[40];
        a[1] = op;
        return a;
    }
}
