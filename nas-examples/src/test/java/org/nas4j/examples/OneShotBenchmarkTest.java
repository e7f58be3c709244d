package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Smoke test: a gradient method and a sampling method at a tiny size print the benchmark's lines. */
class OneShotBenchmarkTest {

    @Test
    void printsResultEpochAndRankLines() {
        String out = capture("--methods", "gdas,rsws", "--epochs", "1", "--steps", "2", "--batch", "16",
                "--candidates", "2", "--rank-cells", "3", "--rank-steps", "2", "--retrain-steps", "2",
                "--channels", "2");
        for (String method : new String[] {"gdas", "rsws"}) {
            assertTrue(Pattern.compile("(?m)^RESULT method=" + method + " seed=1 arch=\\S.* search_seconds=[0-9.]+ "
                    + "epoch_seconds=[0-9.]+ retrain_test=[0-9.]+ params=[0-9]+ param_free_ops=[0-9]+$")
                    .matcher(out).find(), out);
        }
        assertTrue(Pattern.compile("(?m)^EPOCH method=gdas seed=1 epoch=1 param_free_ops=[0-9]+ ").matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("(?m)^RANK method=rsws seed=1 kendall_tau=(-?[0-9.]+|NaN) spearman=(-?[0-9.]+|NaN)"
                + " n=3$").matcher(out).find(), out);
    }

    @Test
    void theConditionalWeightMethodsPrintResultAndRankLines() {
        // two epochs: the copies train shared in the first and split at the second (the default --cw-split-epoch)
        String out = capture("--methods", "spos-cw,rsws-cw,enas-cw", "--epochs", "2", "--steps", "2", "--batch",
                "16", "--candidates", "2", "--rank-cells", "3", "--rank-steps", "2", "--retrain-steps", "2",
                "--channels", "2");
        for (String method : new String[] {"spos-cw", "rsws-cw", "enas-cw"}) {
            assertTrue(Pattern.compile("(?m)^RESULT method=" + method + " seed=1 arch=\\S.* search_seconds=[0-9.]+ "
                    + "epoch_seconds=[0-9.]+ retrain_test=[0-9.]+ params=[0-9]+ param_free_ops=[0-9]+$")
                    .matcher(out).find(), out);
            // ENAS ranks no cells: its controller's rewards are its estimates
            assertTrue(method.equals("enas-cw") || Pattern.compile("(?m)^RANK method=" + method
                    + " seed=1 kendall_tau=(-?[0-9.]+|NaN) spearman=(-?[0-9.]+|NaN) n=3$").matcher(out).find(), out);
        }
    }

    @Test
    void refusesConditionalWeightsForMethodsWhosePoliciesRunSeveralOpsOrLearnWeights() {
        for (String method : new String[] {"darts1-cw", "darts2-cw", "gdas-cw", "proxyless-cw", "path-dropout-cw"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> capture("--methods", "spos," + method));
            assertTrue(e.getMessage().startsWith("--methods: conditional weights (-cw) need one op per edge and pass,"
                    + " from a policy without architecture weights; "), e.getMessage());
            assertTrue(e.getMessage().endsWith(", but held '" + method + "'"), e.getMessage());
        }
        assertEquals("--methods: conditional weights (-cw) need one op per edge and pass, from a policy without"
                + " architecture weights; GDAS learns architecture weights, but held 'gdas-cw'",
                assertThrows(IllegalArgumentException.class, () -> capture("--methods", "gdas-cw")).getMessage());
        assertEquals("--cw-split-epoch must be in [0, --epochs=2), but was 2", assertThrows(
                IllegalArgumentException.class, () -> capture("--methods", "spos-cw", "--epochs", "2",
                        "--cw-split-epoch", "2")).getMessage());
    }

    @Test
    void refusesAnUnknownMethod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> capture("--methods", "darts1,darts3"));
        assertEquals("--methods must name methods of " + OneShotBenchmark.METHODS + ", but held 'darts3'",
                e.getMessage());
    }

    private static String capture(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            OneShotBenchmark.main(args);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
