package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.space.SearchSpace;

/** The executor seam: trials finished in any order, or lost by the executor, give the journal of the local pool. */
class TrialExecutorTest {
    private static final int PARALLELISM = 4;
    private static final int TRIALS = 40; // a multiple of PARALLELISM: ReversingExecutor completes whole windows
    private final ToySpace space = new ToySpace(6, 4);

    private static final Estimator ESTIMATOR = new Estimator() {
        @Override
        public String description() {
            return "toy";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            if (r.trialId() % 7 == 3) {
                throw new IllegalArgumentException("bad trial " + r.trialId());
            }
            double v = ToySpace.score(r.architecture()) + Math.floorMod(r.seed(), 1000) / 1000.0;
            return Evaluation.of(Metric.VALIDATION_ACCURACY, v).with(Metric.TEST_ACCURACY, v - 1);
        }
    };

    /**
     * Evaluates on the runner's thread but completes nothing until a whole window of {@code parallelism} trials was
     * submitted, then completes that window last first: every window finishes in reversed order.
     */
    private static final class ReversingExecutor implements TrialExecutor {
        final List<Integer> completionOrder = new ArrayList<>();

        @Override
        public Session open(SearchSpace space, Estimator estimator, int parallelism, Optional<Duration> wallClock) {
            List<CompletableFuture<Evaluation>> window = new ArrayList<>();
            List<Runnable> completions = new ArrayList<>();
            return new Session() {
                @Override
                public CompletableFuture<Evaluation> submit(EvaluationRequest request) {
                    CompletableFuture<Evaluation> f = new CompletableFuture<>();
                    window.add(f);
                    completions.add(() -> {
                        completionOrder.add(request.trialId());
                        try {
                            f.complete(estimator.evaluate(request));
                        } catch (Exception e) {
                            f.completeExceptionally(e);
                        }
                    });
                    if (window.size() == parallelism) {
                        for (int i = completions.size() - 1; i >= 0; i--) {
                            completions.get(i).run();
                        }
                        window.clear();
                        completions.clear();
                    }
                    return f;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The local executor, except that the task of every trial whose id is a multiple of 5 is lost. */
    private static final class LosingExecutor implements TrialExecutor {
        @Override
        public Session open(SearchSpace space, Estimator estimator, int parallelism, Optional<Duration> wallClock) {
            Session local = LocalExecutor.create().open(space, estimator, parallelism, wallClock);
            return new Session() {
                @Override
                public CompletableFuture<Evaluation> submit(EvaluationRequest request) {
                    if (request.trialId() % 5 == 0) {
                        return CompletableFuture.failedFuture(
                                new TrialFailedException("task lost 3 times: executor 2 exited"));
                    }
                    return local.submit(request);
                }

                @Override
                public void close() {
                    local.close();
                }
            };
        }
    }

    private List<Trial> search(TrialExecutor executor, Path journal) throws IOException {
        SearchRunner.Builder b = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(ESTIMATOR)
                .budget(Budget.trials(TRIALS)).parallelism(PARALLELISM).seed(11).journal(journal);
        if (executor != null) {
            b.executor(executor);
        }
        b.build().run();
        List<Trial> trials = new ArrayList<>(Journal.read(journal, space).trials());
        trials.sort(Comparator.comparingInt(Trial::id));
        return trials;
    }

    /** Everything a journaled trial holds but its duration. */
    private static List<String> content(List<Trial> trials) {
        List<String> s = new ArrayList<>();
        for (Trial t : trials) {
            s.add(t.id() + " " + t.architecture() + " " + t.state() + " " + t.metrics() + " '" + t.reason() + "' "
                    + t.seed() + " " + t.fidelity() + " " + t.parent());
        }
        return s;
    }

    @Test
    void trialsFinishedInReversedOrderGiveTheJournalOfTheLocalExecutor(@TempDir Path dir) throws IOException {
        List<Trial> local = search(null, dir.resolve("local"));
        ReversingExecutor reversing = new ReversingExecutor();
        List<Trial> reversed = search(reversing, dir.resolve("reversed"));

        assertEquals(TRIALS, local.size());
        assertEquals(content(local), content(reversed));
        assertEquals(List.of(3, 2, 1, 0, 7, 6, 5, 4), reversing.completionOrder.subList(0, 8),
                "the executor must really have completed the trials out of order");
        assertTrue(local.stream().anyMatch(t -> t.state() == TrialState.FAILED
                && t.reason().equals("IllegalArgumentException: bad trial 3")), "an estimator's failure is data");
    }

    @Test
    void aTrialLostByTheExecutorIsFailedWithItsReasonAndTheSearchGoesOn(@TempDir Path dir) throws IOException {
        List<Trial> local = search(null, dir.resolve("local"));
        List<Trial> losing = search(new LosingExecutor(), dir.resolve("losing"));

        assertEquals(TRIALS, losing.size());
        for (int i = 0; i < TRIALS; i++) {
            Trial t = losing.get(i);
            assertEquals(i, t.id());
            if (i % 5 == 0) {
                assertEquals(TrialState.FAILED, t.state(), "trial " + i);
                assertEquals("task lost 3 times: executor 2 exited", t.reason(), "trial " + i);
            } else if (i < PARALLELISM) {
                // proposed before the lost trial 0 was told: the same as the local executor's
                assertEquals(content(local.subList(i, i + 1)), content(losing.subList(i, i + 1)));
            }
        }
    }
}
