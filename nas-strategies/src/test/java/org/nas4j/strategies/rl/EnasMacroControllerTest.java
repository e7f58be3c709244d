package org.nas4j.strategies.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.strategies.oneshot.Enas;

/** The ENAS macro controller: its gradient, its log-probability, its samples, its size and its bad inputs. */
class EnasMacroControllerTest {
    /** A settings with every shaping on: 2 LSTM layers, a temperature, a tanh constant, a skip penalty. */
    private static final MacroControllerSettings FULL = MacroControllerSettings.reference().withLayers(2)
            .withTemperature(1.7);

    /** The choices of a whole-channel macro space of {@code layers} layers and {@code branches} branches. */
    static List<Choice> wholeChoices(int layers, int branches) {
        List<Choice> out = new ArrayList<>();
        List<String> ops = IntStream.range(0, branches).mapToObj(b -> "op" + b).toList();
        for (int i = 0; i < layers; i++) {
            out.add(Choice.of("layer" + i + ".op", Choice.Kind.OPERATION, ops));
            for (int k = 0; k < i; k++) {
                out.add(Choice.of("layer" + i + ".skip" + k, Choice.Kind.INPUT, List.of("none", "skip_connect")));
            }
        }
        return out;
    }

    /** The choices of a channel-range macro space: ranges of {@code channels} channels first, then the skips. */
    static List<Choice> rangeChoices(int layers, int branches, int channels) {
        List<Choice> out = new ArrayList<>();
        List<String> ranges = ChannelRange.sampled(channels).stream().map(ChannelRange::toString).toList();
        for (int i = 0; i < layers; i++) {
            for (int j = 0; j < branches; j++) {
                out.add(Choice.of("layer" + i + ".range" + j, Choice.Kind.VALUE, ranges));
            }
        }
        for (int i = 1; i < layers; i++) {
            for (int k = 0; k < i; k++) {
                out.add(Choice.of("layer" + i + ".skip" + k, Choice.Kind.INPUT, List.of("none", "skip_connect")));
            }
        }
        return out;
    }

    /**
     * Where central differences of {@code f = a log p + e H + w P} differ from {@code analytic} at a coordinate of
     * {@code coords}, or null. Step 1e-5 in double: the truncation error is about step^2 / 6 times a third
     * derivative of order 1 (~2e-11), the rounding error about eps |f| / step = 2.2e-16 * 50 / 1e-5 (~1e-9): 1e-6
     * absolute plus 1e-6 relative leaves a margin of 1000 over both, while a gradient term dropped or mis-scaled
     * moves an entry by far more (the broken gradients below).
     */
    static String mismatch(EnasMacroController c, int[] arc, double a, double e, double w, double[] analytic,
            int[] coords) {
        ParameterSet p = c.parameters();
        double step = 1e-5;
        for (int i : coords) {
            double v = p.values().getDouble(i);
            p.values().putScalar(i, v + step);
            double up = c.objective(arc, a, e, w, false);
            p.values().putScalar(i, v - step);
            double down = c.objective(arc, a, e, w, false);
            p.values().putScalar(i, v);
            double numeric = (up - down) / (2 * step);
            if (Math.abs(numeric - analytic[i]) > 1e-6 + 1e-6 * Math.abs(numeric)) {
                return "coordinate " + i + " (" + owner(p, i) + "): numeric " + numeric + ", analytic " + analytic[i];
            }
        }
        return null;
    }

    static double[] gradient(EnasMacroController c, int[] arc, double a, double e, double w) {
        c.objective(arc, a, e, w, true);
        return HostArrays.read(c.parameters().gradients());
    }

    static void checkGradient(EnasMacroController c, int[] arc, double a, double e, double w, int[] coords) {
        String bad = mismatch(c, arc, a, e, w, gradient(c, arc, a, e, w), coords);
        assertNull(bad, bad);
    }

    static String owner(ParameterSet p, int i) {
        return p.parameters().stream().filter(q -> q.offset() <= i && i < q.offset() + q.length())
                .map(q -> q.name()).findFirst().orElseThrow();
    }

    static int[] all(EnasMacroController c) {
        return IntStream.range(0, (int) c.parameters().size()).toArray();
    }

    /** A sample of {@code c} with every skip flag of the last layer on, so the anchors' mean feeds nothing after. */
    private static int[] withSkips(EnasMacroController c, long seed, int[] skipPositions) {
        int[] arc = c.sample(new SplitMix64(seed));
        for (int pos : skipPositions) {
            arc[pos] = 1;
        }
        return arc;
    }

    @Test
    void gradientWithWholeChannelsMatchesFiniteDifferences() {
        List<Choice> choices = wholeChoices(4, 3);
        EnasMacroController c = new EnasMacroController(choices, 5, 0.5, FULL, 3, null);
        // layer 2 takes both earlier anchors, so their mean is the next step's input
        int[] arc = withSkips(c, 5, new int[] {4, 5});
        checkGradient(c, arc, 1, 0, 0, all(c));
        checkGradient(c, arc, -0.7, 0.3, 0.8, all(c));
        // no tanh, no temperature: the plain logits
        EnasMacroController plain = new EnasMacroController(choices, 5, 0.5,
                MacroControllerSettings.reference().withTanhConstant(0), 3, null);
        checkGradient(plain, arc, 0.4, -1.3, 2, all(plain));
    }

    @Test
    void gradientWithChannelRangesMatchesFiniteDifferences() {
        List<Choice> choices = rangeChoices(3, 2, 4);
        EnasMacroController c = new EnasMacroController(choices, 4, 0.5, FULL, 7, null);
        int[] arc = withSkips(c, 2, new int[] {6, 7, 8});
        checkGradient(c, arc, 1, 0.5, 0.8, all(c));
        checkGradient(c, c.sample(new SplitMix64(9)), -0.3, 0, 1.5, all(c));
    }

    @Test
    void gradientWithAMaskMatchesFiniteDifferencesAndMaskedOptionsAreNeverDrawn() {
        List<Choice> choices = rangeChoices(2, 2, 4);
        boolean[][] allowed = new boolean[choices.size()][];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = new boolean[choices.get(i).size()];
            Arrays.fill(allowed[i], true);
        }
        for (int o = 0; o < 3; o++) {
            allowed[1][o] = false;   // every range that starts at 0, for layer 0's branch 1
        }
        allowed[4][0] = false;       // layer 1 must skip from layer 0
        EnasMacroController c = new EnasMacroController(choices, 4, 0.5, FULL, 7, allowed);
        SplitMix64 rng = new SplitMix64(9);
        for (int n = 0; n < 300; n++) {
            int[] arc = c.sample(rng);
            assertTrue(arc[1] >= 3 && arc[4] == 1, Arrays.toString(arc));
        }
        checkGradient(c, c.sample(rng), 1, 0.5, 0.8, all(c));
    }

    @Test
    void gradientAtTheReferenceSizesMatchesFiniteDifferencesOnSampledCoordinates() {
        EnasMacroController c = (EnasMacroController) Enas.macroController().policy(EnasMacroSpace.cifar10(), 4);
        int[] arc = c.sample(new SplitMix64(1));
        SplitMix64 pick = new SplitMix64(3);
        int[] coords = new int[300];
        for (int i = 0; i < coords.length; i++) {
            coords[i] = (int) pick.nextLong(c.parameters().size());
        }
        checkGradient(c, arc, 1, 1e-2, 0.8, coords);
        int[] vAttn = c.parameters().parameters().stream().filter(q -> q.name().equals("v_attn"))
                .flatMapToInt(q -> IntStream.range((int) q.offset(), (int) (q.offset() + q.length()))).toArray();
        checkGradient(c, arc, 1, 0, 0.8, vAttn);
    }

    @Test
    void aBrokenGradientFailsTheCheck() {
        List<Choice> choices = wholeChoices(4, 3);
        EnasMacroController c = new EnasMacroController(choices, 5, 0.5, FULL, 3, null);
        int[] arc = withSkips(c, 5, new int[] {4, 5});
        // the skip penalty's term left out of the gradient: the check must catch it
        assertNotNull(mismatch(c, arc, 1, 0.3, 0.8, gradient(c, arc, 1, 0.3, 0), all(c)));
        // the entropy's term left out
        assertNotNull(mismatch(c, arc, 1, 0.3, 0.8, gradient(c, arc, 1, 0, 0.8), all(c)));
        // one entry off by 0.1% where the gradient is not small
        double[] g = gradient(c, arc, 1, 0.3, 0.8);
        int big = IntStream.range(0, g.length).filter(i -> Math.abs(g[i]) > 0.05).findFirst().orElseThrow();
        g[big] *= 1.001;
        assertNotNull(mismatch(c, arc, 1, 0.3, 0.8, g, new int[] {big}));
    }

    @Test
    void logProbabilityEntropyAndPenaltyAreTheSumsByHand() {
        for (int mode = 0; mode < 2; mode++) {
            List<Choice> choices = mode == 0 ? wholeChoices(4, 3) : rangeChoices(3, 2, 5);
            EnasMacroController c = new EnasMacroController(choices, 6, 0.8, FULL, 11, null);
            SplitMix64 rng = new SplitMix64(4);
            for (int n = 0; n < 5; n++) {
                int[] arc = c.sample(rng);
                MacroByHand hand = MacroByHand.of(c, FULL, 6, choices, arc, mode == 0 ? 4 : 3, mode == 0 ? 3 : 2,
                        mode == 0 ? 0 : 5);
                String what = "mode " + mode + " arc " + Arrays.toString(arc);
                assertEquals(hand.logProb, c.logProbability(arc), 1e-12, what);
                assertEquals(hand.entropy, c.objective(arc, 0, 1, false), 1e-12, what);
                assertEquals(hand.penalty, c.objective(arc, 0, 0, 1, false), 1e-12, what);
                assertTrue(hand.logProb < 0 && hand.entropy > 0 && hand.penalty > 0, what);
            }
        }
    }

    @Test
    void samplesAreMembersOfTheSpaceInBothModes() {
        ComposedSpace whole = EnasMacroSpace.small().name("enas-macro-tiny").layers(4).outFilters(4).input(1, 8)
                .build();
        ComposedSpace ranges = EnasMacroSpace.small().name("enas-macro-channels-tiny").wholeChannels(false)
                .layers(3).outFilters(4).input(1, 8).build();
        for (ComposedSpace space : List.of(whole, ranges)) {
            Policy p = Enas.macroController().policy(space, 3);
            SplitMix64 rng = new SplitMix64(8);
            for (int n = 0; n < 200; n++) {
                Architecture a = Architecture.of(space, p.sample(rng));
                assertTrue(space.isValid(a), a.toString());
                assertEquals(a, EnasMacroSpace.fromReference(space, EnasMacroSpace.toReference(a)));
                assertTrue(Double.isFinite(p.logProbability(a.vector())), a.toString());
            }
        }
    }

    @Test
    void samplesAtTheReferenceSizesAreMembersOfTheRegisteredSpaces() {
        for (String name : List.of("enas-macro", "enas-macro-channels")) {
            ComposedSpace space = (ComposedSpace) Spaces.byName(name);
            Policy p = Enas.macroController().policy(space, 3);
            SplitMix64 rng = new SplitMix64(2);
            for (int n = 0; n < 20; n++) {
                Architecture a = Architecture.of(space, p.sample(rng));
                assertTrue(space.isValid(a), name + ": " + a);
                assertEquals(a, EnasMacroSpace.fromReference(space, EnasMacroSpace.toReference(a)));
            }
        }
    }

    @Test
    void rangesFollowTheReferencesCountMask() {
        // start s in [0, C-1], count in [1, C - max(s, 1)]: every pair drawn, none past the mask, at C = 4
        List<Choice> choices = rangeChoices(1, 1, 4);
        EnasMacroController c = new EnasMacroController(choices, 4, 1, MacroControllerSettings.reference()
                .withTanhConstant(0), 2, null);
        SplitMix64 rng = new SplitMix64(1);
        boolean[] seen = new boolean[choices.get(0).size()];
        for (int n = 0; n < 2000; n++) {
            int o = c.sample(rng)[0];
            ChannelRange r = ChannelRange.parse("r", choices.get(0).option(o));
            assertTrue(r.count() <= 4 - Math.max(r.start(), 1), r.toString());
            seen[o] = true;
        }
        for (boolean s : seen) {
            assertTrue(s, Arrays.toString(seen));
        }
    }

    @Test
    void seededSamplingRepeats() {
        Policy a = Enas.macroController().policy(EnasMacroSpace.cifar10(), 1);
        Policy b = Enas.macroController().policy(EnasMacroSpace.cifar10(), 1);
        assertArrayEquals(a.sample(new SplitMix64(5)), b.sample(new SplitMix64(5)));
        assertTrue(!Arrays.equals(a.sample(new SplitMix64(5)), a.sample(new SplitMix64(6))));
        // another seed, other weights: at initialisation (logits within about 0.1 of 0) the same draws mostly land on
        // the same options, but the probabilities differ
        Policy other = Enas.macroController().policy(EnasMacroSpace.cifar10(), 2);
        int[] arc = a.sample(new SplitMix64(7));
        assertTrue(Math.abs(a.logProbability(arc) - other.logProbability(arc)) > 1e-6);
    }

    /**
     * At the reference's sizes ({@code H = 64} units, 1 layer, {@code B = 6} branches, {@code C = 36} filters;
     * {@code general_controller.py}'s {@code _create_params}): the LSTM {@code w [2H, 4H]} 32,768; {@code g_emb
     * [1, H]} 64; {@code w_attn_1} and {@code w_attn_2 [H, H]} 4,096 each; {@code v_attn [H, 1]} 64: 41,088 in both
     * modes. With whole channels {@code w_emb [B, H]} and {@code w_soft [H, B]}, 384 each: 41,856. With channel
     * ranges, per branch {@code w_start [C, H]} 2,304 and {@code w_count [C - 1, H]} 2,240 in the embedding and the
     * transposes in the softmax, 9,088 per branch, 54,528 for six: 95,616. Neither depends on the layers.
     */
    @Test
    void parameterCountAtTheReferenceSizes() {
        long h = 64;
        long b = 6;
        long c = 36;
        long common = 2 * h * 4 * h + h + 2 * h * h + h;
        assertEquals(41_088, common);
        assertEquals(41_856, common + 2 * b * h);
        assertEquals(95_616, common + b * (2 * c + 2 * (c - 1)) * h);
        assertEquals(41_856, Enas.macroController().policy(EnasMacroSpace.cifar10(), 0).parameters().size());
        assertEquals(95_616, Enas.macroController().policy(EnasMacroSpace.channels(), 0).parameters().size());
        assertEquals(95_616, new EnasMacroController(rangeChoices(3, 6, 36), 64, 0.1,
                MacroControllerSettings.reference(), 0, null).parameters().size());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Enas.macroController().policy(Spaces.nasBench201(), 0));
        assertTrue(e.getMessage().contains("layer0.op"), e.getMessage());
        List<Choice> broken = new ArrayList<>(wholeChoices(3, 4));
        broken.remove(2);
        e = assertThrows(IllegalArgumentException.class, () -> new EnasMacroController(broken, 4, 0.1,
                MacroControllerSettings.reference(), 0, null));
        assertTrue(e.getMessage().contains("layer1.skip0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MacroControllerSettings.reference().withSkipTarget(1));
        assertEquals("skipTarget must be in (0, 1), but was 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MacroControllerSettings.reference().withSkipWeight(-1));
        assertTrue(e.getMessage().startsWith("skipWeight"), e.getMessage());
        EnasMacroController c = new EnasMacroController(wholeChoices(2, 4), 4, 0.1,
                MacroControllerSettings.reference(), 0, null);
        e = assertThrows(IllegalArgumentException.class, () -> c.objective(new int[] {0, 4, 1}, 1, 0, false));
        assertEquals("actions[1] must be in [0, 3], but was 4", e.getMessage());
        assertTrue(Enas.macroController().configuration().contains("ENAS_MACRO"));
        assertTrue(Enas.macroController().configuration().contains("skipWeight=0.8"),
                Enas.macroController().configuration());
    }
}
