package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalMismatchException;

/** Custom metrics keep their direction and visibility through the journal. */
class JournalMetricsTest {
    private static final Metric ENERGY = Metric.custom("energy_mj", Metric.Direction.MINIMIZE);
    private static final Metric HOLDOUT = Metric.reportOnly("holdout_acc", Metric.Direction.MAXIMIZE);
    private static final int TRIALS = 20;

    private final ToySpace space = new ToySpace(6, 4);

    private static final class CustomMetricsEstimator implements Estimator {
        @Override
        public String description() {
            return "custom-metrics";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) throws InterruptedException {
            Thread.sleep(Math.floorMod(r.seed(), 3));
            double v = ToySpace.score(r.architecture()) + Math.floorMod(r.seed(), 1000) / 1000.0;
            return Evaluation.of(Metric.VALIDATION_ACCURACY, v).with(Metric.TEST_ACCURACY, v - 1)
                    .with(ENERGY, 50 - v).with(HOLDOUT, v / 2);
        }
    }

    /** Every metric the strategy is told, with direction and visibility, one line per trial. */
    private static List<String> told(RecordingStrategy spy) {
        List<String> lines = new ArrayList<>();
        for (Trial trial : spy.told) {
            StringBuilder s = new StringBuilder(Integer.toString(trial.id()));
            trial.metrics().forEach((m, v) -> s.append(' ').append(m.name()).append('/')
                    .append(m.direction()).append('/').append(m.visibleToStrategy()).append('=').append(v));
            lines.add(s.toString());
        }
        return lines;
    }

    private SearchResult run(RecordingStrategy spy, Path journal) {
        return SearchRunner.builder(space, spy).estimator(new CustomMetricsEstimator()).budget(Budget.trials(TRIALS))
                .parallelism(2).seed(21).journal(journal).build().run();
    }

    /** The journal cut after its first {@code trials} trial lines, as a kill would leave it. */
    private static Path killedAfter(Path full, Path dir, int trials) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = Files.readAllLines(full.resolve(Journal.FILE_NAME));
        Files.write(dir.resolve(Journal.FILE_NAME), lines.subList(0, trials + 1));
        return dir;
    }

    @Test
    void aResumedSearchHidesFromTheStrategyExactlyWhatAnUninterruptedOneHides(@TempDir Path dir) throws IOException {
        RecordingStrategy uninterrupted = new RecordingStrategy();
        run(uninterrupted, dir.resolve("full"));
        assertEquals(TRIALS, told(uninterrupted).size());
        for (String t : told(uninterrupted)) {
            assertTrue(t.contains(" energy_mj/MINIMIZE/true="), t);
            assertFalse(t.contains("holdout_acc") || t.contains("test_acc"), t);
        }
        RecordingStrategy resumed = new RecordingStrategy();
        SearchResult r = run(resumed, killedAfter(dir.resolve("full"), dir.resolve("killed"), 10));
        assertEquals(told(uninterrupted), told(resumed));

        Trial replayed = r.trials().get(0);
        Metric energy = replayed.metrics().keySet().stream().filter(ENERGY::equals).findFirst().orElseThrow();
        assertEquals(Metric.Direction.MINIMIZE, energy.direction(), "a custom MINIMIZE metric stays MINIMIZE");
        Metric holdout = replayed.metrics().keySet().stream().filter(HOLDOUT::equals).findFirst().orElseThrow();
        assertFalse(holdout.visibleToStrategy(), "a report-only metric stays hidden");
    }

    @Test
    void customMetricsAreDefinedInTheTrialLineAndStandardOnesAreNot(@TempDir Path dir) throws IOException {
        run(new RecordingStrategy(), dir);
        String line = Files.readAllLines(dir.resolve(Journal.FILE_NAME)).get(1);
        assertTrue(line.contains("\"metric_defs\":{\"energy_mj\":{\"direction\":\"MINIMIZE\",\"visible\":true},"
                + "\"holdout_acc\":{\"direction\":\"MAXIMIZE\",\"visible\":false}}"), line);
        assertFalse(line.contains("\"valid_acc\":{"), line);
    }

    @Test
    void aJournalWithoutDefinitionsStillLoads(@TempDir Path dir) throws IOException {
        SearchResult full = run(new RecordingStrategy(), dir.resolve("full"));
        Path old = killedAfter(dir.resolve("full"), dir.resolve("old"), TRIALS);
        Path file = old.resolve(Journal.FILE_NAME);
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            lines.add(l.replaceAll(",\"metric_defs\":\\{[^}]*\\}[^}]*\\}\\}", ""));
        }
        assertFalse(String.join("\n", lines).contains("metric_defs"));
        Files.write(file, lines);
        SearchResult loaded = run(new RecordingStrategy(), old);
        assertEquals(full.trials().size(), loaded.trials().size());
        Metric energy = loaded.trials().get(0).metrics().keySet().stream().filter(ENERGY::equals).findFirst()
                .orElseThrow();
        assertEquals(Metric.Direction.MAXIMIZE, energy.direction(), "without a definition: Metric.named's default");
        assertEquals(full.trials().get(5).metrics(), loaded.trials().get(5).metrics());
    }

    @Test
    void aDefinitionThatContradictsAStandardMetricIsANamedError(@TempDir Path dir) throws IOException {
        run(new RecordingStrategy(), dir);
        Path file = dir.resolve(Journal.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(3, lines.get(3).replace("\"metric_defs\":{",
                "\"metric_defs\":{\"test_acc\":{\"direction\":\"MINIMIZE\",\"visible\":false},"));
        Files.write(file, lines);
        JournalMismatchException e = assertThrows(JournalMismatchException.class, () -> run(new RecordingStrategy(), dir));
        assertEquals(file + ", line 4: cannot read trial: metric_defs says the standard metric 'test_acc' is "
                + "MINIMIZE and hidden from strategies, but it is MAXIMIZE and hidden from strategies", e.getMessage());
    }

    @Test
    void aMalformedDefinitionIsANamedError(@TempDir Path dir) throws IOException {
        run(new RecordingStrategy(), dir);
        Path file = dir.resolve(Journal.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"direction\":\"MINIMIZE\"", "\"direction\":\"DOWN\""));
        Files.write(file, lines);
        JournalMismatchException e = assertThrows(JournalMismatchException.class, () -> run(new RecordingStrategy(), dir));
        assertEquals(file + ", line 3: cannot read trial: metric_defs of metric 'energy_mj': direction must be "
                + "MAXIMIZE or MINIMIZE, but was \"DOWN\"", e.getMessage());
    }
}
