package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.nas4j.core.journal.JournalMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchRunnerTest {
    private final ToySpace space = new ToySpace(6, 4);

    /** valid_acc from the architecture and the trial seed; test_acc beside it; sleeps to shuffle completion order. */
    private static Estimator toyEstimator(AtomicInteger calls) {
        return new Estimator() {
            @Override
            public String description() {
                return "toy-estimator";
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) throws InterruptedException {
                calls.incrementAndGet();
                Thread.sleep(Math.floorMod(r.seed(), 3));
                double v = ToySpace.score(r.architecture()) + Math.floorMod(r.seed(), 1000) / 1000.0;
                return Evaluation.of(Metric.VALIDATION_ACCURACY, v).with(Metric.TEST_ACCURACY, v - 1)
                        .with(Metric.PARAMETERS, 100 - v);
            }
        };
    }

    private SearchRunner.Builder runner(int trials, int parallelism, long seed) {
        return SearchRunner.builder(space, new GreedyToyStrategy())
                .estimator(toyEstimator(new AtomicInteger()))
                .budget(Budget.trials(trials))
                .parallelism(parallelism)
                .seed(seed);
    }

    private static List<String> summary(SearchResult r) {
        List<String> s = new ArrayList<>();
        for (Trial t : r.trials()) {
            s.add(t.id() + " " + t.architecture() + " " + t.state() + " " + t.metrics() + " " + t.seed());
        }
        return s;
    }

    @Test
    void sameSeedGivesTheSameSearchWhateverTheThreadTiming() {
        SearchResult a = runner(40, 3, 5).build().run();
        SearchResult b = runner(40, 3, 5).build().run();
        assertEquals(40, a.trials().size());
        assertEquals(summary(a), summary(b));
        SearchResult c = runner(40, 3, 6).build().run();
        assertFalse(summary(a).equals(summary(c)), "a different seed should give a different search");
    }

    @Test
    void failingTrialsAreRecordedAndTheSearchGoesOn() {
        Estimator flaky = new Estimator() {
            @Override
            public String description() {
                return "flaky";
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) {
                if (r.trialId() % 5 == 1) {
                    throw new IllegalStateException("boom at " + r.trialId());
                }
                if (r.trialId() % 5 == 2) {
                    return Evaluation.of(Metric.VALIDATION_ACCURACY, Double.NaN);
                }
                if (r.trialId() % 5 == 3) {
                    throw new OutOfMemoryError("simulated");
                }
                return Evaluation.of(Metric.VALIDATION_ACCURACY, ToySpace.score(r.architecture()));
            }
        };
        SearchResult r = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(flaky)
                .budget(Budget.trials(20)).parallelism(2).build().run();
        assertEquals(20, r.trials().size());
        assertEquals(12, r.count(TrialState.FAILED));
        assertEquals("IllegalStateException: boom at 1", r.trials().get(1).reason());
        assertTrue(r.trials().get(2).reason().contains("valid_acc is NaN"), r.trials().get(2).reason());
        assertEquals("OutOfMemoryError: simulated", r.trials().get(3).reason());
        assertTrue(r.best().isComplete());
    }

    @Test
    void strategiesNeverSeeTestAccuracy() {
        RecordingStrategy spy = new RecordingStrategy();
        SearchResult r = SearchRunner.builder(space, spy).estimator(toyEstimator(new AtomicInteger()))
                .budget(Budget.trials(10)).build().run();
        assertEquals(10, spy.told.size());
        for (Trial t : spy.told) {
            assertFalse(t.metrics().containsKey(Metric.TEST_ACCURACY));
            assertTrue(t.metrics().containsKey(Metric.VALIDATION_ACCURACY));
        }
        assertTrue(r.trials().get(0).metrics().containsKey(Metric.TEST_ACCURACY), "the result keeps test accuracy");
    }

    @Test
    void aKilledSearchResumesFromItsJournalAndEndsAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
        SearchResult uninterrupted = runner(60, 2, 11).journal(dir.resolve("full")).build().run();

        // A search killed after 25 trials, in the middle of writing the 26th line.
        List<String> lines = Files.readAllLines(dir.resolve("full").resolve("journal.jsonl"));
        assertEquals(61, lines.size());
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        String partial = lines.get(26).substring(0, lines.get(26).length() / 2);
        Files.writeString(killed.resolve("journal.jsonl"),
                String.join("\n", lines.subList(0, 26)) + "\n" + partial, StandardCharsets.UTF_8);

        AtomicInteger calls = new AtomicInteger();
        SearchResult resumed = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(toyEstimator(calls))
                .budget(Budget.trials(60)).parallelism(2).seed(11).journal(killed).build().run();
        assertEquals(summary(uninterrupted), summary(resumed));
        assertEquals(35, calls.get(), "finished trials must not be evaluated again");
        assertEquals(uninterrupted.best().architecture(), resumed.best().architecture());
    }

    @Test
    void aSearchCanBeExtendedByRunningAgainWithALargerBudget(@TempDir Path dir) {
        SearchResult full = runner(30, 1, 3).build().run();
        runner(10, 1, 3).journal(dir).build().run();
        SearchResult extended = runner(30, 1, 3).journal(dir).build().run();
        assertEquals(summary(full), summary(extended));
    }

    @Test
    void aJournalOfAnotherSearchIsRefused(@TempDir Path dir) {
        runner(5, 1, 1).journal(dir).build().run();
        JournalMismatchException e = assertThrows(JournalMismatchException.class,
                () -> runner(5, 1, 2).journal(dir).build().run());
        assertTrue(e.getMessage().contains("its seed is '1' but this search's is '2'"), e.getMessage());
        e = assertThrows(JournalMismatchException.class,
                () -> SearchRunner.builder(new ToySpace(5, 4), new GreedyToyStrategy())
                        .estimator(toyEstimator(new AtomicInteger())).seed(1).journal(dir).build().run());
        assertTrue(e.getMessage().contains("space is 'toy(6x4)' but this search's is 'toy(5x4)'"), e.getMessage());
    }

    @Test
    void wallClockBudgetStopsTheSearch() {
        Estimator slow = new Estimator() {
            @Override
            public String description() {
                return "slow";
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) throws InterruptedException {
                Thread.sleep(20);
                return Evaluation.of(Metric.VALIDATION_ACCURACY, 1);
            }
        };
        SearchResult r = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(slow)
                .budget(Budget.trials(10_000).orWallClock(Duration.ofMillis(200))).build().run();
        assertTrue(r.trials().size() >= 2 && r.trials().size() < 100, "trials: " + r.trials().size());
    }

    @Test
    void paretoFrontKeepsOnlyNonDominatedTrials() {
        SearchResult r = runner(50, 1, 9).build().run();
        List<Trial> front = r.paretoFront(Metric.VALIDATION_ACCURACY, Metric.PARAMETERS);
        assertFalse(front.isEmpty());
        for (Trial f : front) {
            for (Trial t : r.trials()) {
                boolean dominates = t.value(Metric.VALIDATION_ACCURACY) >= f.value(Metric.VALIDATION_ACCURACY)
                        && t.value(Metric.PARAMETERS) <= f.value(Metric.PARAMETERS)
                        && (t.value(Metric.VALIDATION_ACCURACY) > f.value(Metric.VALIDATION_ACCURACY)
                        || t.value(Metric.PARAMETERS) < f.value(Metric.PARAMETERS));
                assertFalse(dominates, t + " dominates front member " + f);
            }
        }
    }

    @Test
    void badBuilderInputNamesTheParameterAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner(1, 1, 1).parallelism(0));
        assertEquals("parallelism must be in [1, 1024], but was 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Budget.trials(0));
        assertEquals("maxTrials must be >= 1, but was 0", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> SearchRunner.builder(space, new GreedyToyStrategy()).build());
        assertTrue(s.getMessage().contains("estimator must be set"));
    }
}
