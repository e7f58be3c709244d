package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;

class Nb201BenchmarkTest {

    private static Trial trial(int id, double fidelity, double valid) {
        Architecture a = Spaces.nasBench201().sample(new java.util.Random(id));
        return new Trial(id, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, valid), "", id, fidelity, 0);
    }

    @Test
    void budgetsCountFullTrainingEquivalentsAndOnlyFullFidelityTrialsAnswer() {
        List<Trial> trials = List.of(trial(0, 1.0 / 3, 99), trial(1, 1.0 / 3, 98), trial(2, 1.0 / 3, 97),
                trial(3, 1, 80), trial(4, 1, 85), trial(5, 1, 90));
        assertEquals(3, Nb201Benchmark.bestWithinCost(trials, 2).id(), "cost 2 = three thirds and one full trial");
        assertEquals(4, Nb201Benchmark.bestWithinCost(trials, 3).id());
        assertEquals(5, Nb201Benchmark.bestWithinCost(trials, 10).id());
        assertThrows(IllegalStateException.class, () -> Nb201Benchmark.bestWithinCost(trials, 1));
    }

    @Test
    void hyperbandRunsOnATableWithFidelityColumnsAndIsRefusedWithout(@TempDir Path dir) throws Exception {
        // a table whose 12-epoch column is a noisy, lower copy of the 200-epoch one
        TabularEstimator shipped = TabularEstimator.nasBench201Cifar10();
        StringBuilder csv = new StringBuilder("arch_str,valid_acc@12,valid_acc,test_acc\n");
        java.util.Random noise = new java.util.Random(7);
        shipped.rows().forEach((a, m) -> csv.append(a).append(',')
                .append(m.get(Metric.VALIDATION_ACCURACY) - 10 + 2 * noise.nextGaussian()).append(',')
                .append(m.get(Metric.VALIDATION_ACCURACY)).append(',').append(m.get(Metric.TEST_ACCURACY))
                .append('\n'));
        Path table = dir.resolve("fidelity.csv");
        Files.writeString(table, csv);
        String out = capture("--table", table.toString(), "--full-epochs", "200", "--strategies", "rs,hyperband",
                "--trials", "10,30", "--seeds", "3");
        assertTrue(out.contains("RESULT strategy=hyperband trials=30 seeds=3 valid_mean="), out);
        assertTrue(out.contains("RESULT strategy=rs trials=10 seeds=3 valid_mean="), out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> capture("--strategies", "hyperband", "--seeds", "1"));
        assertTrue(e.getMessage().contains("hyperband needs a table whose values depend on the fidelity"),
                e.getMessage());
    }

    @Test
    void defaultStrategiesComeFromTheRegistryAndUnknownNamesFailBeforeAnySearch() throws Exception {
        assertEquals("rs,rea,evolution-no-aging,evolution,reinforce,reinforce-nb201,pnas,popnas",
                Nb201Benchmark.DEFAULT_STRATEGIES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> capture("--strategies", "rs,bayes", "--seeds", "1"));
        assertEquals("unknown strategy 'bayes'; known names: " + org.nas4j.strategies.Strategies.names(),
                e.getMessage());
    }

    private static String capture(String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Nb201Benchmark.main(args);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
