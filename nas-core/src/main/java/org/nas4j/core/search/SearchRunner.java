package org.nas4j.core.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalHeader;
import org.nas4j.core.journal.JournalMismatchException;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.SearchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a search: asks the strategy for proposals, evaluates them with the estimator on a {@link TrialExecutor}
 * (by default {@link LocalExecutor}, a thread pool in this JVM), journals each finished trial in this JVM, then
 * tells the strategy. Immutable once built; {@link #run()} may be called again (with a
 * journal it then resumes).
 *
 * <p>Determinism: trials are told to the strategy in id order through a window of {@code parallelism} trials in
 * flight, so the sequence of asks and tells does not depend on timing: the same seed gives the same search,
 * whatever the thread scheduling and whatever order the executor finishes trials in. Resuming replays that sequence, taking finished trials from the journal instead
 * of evaluating them, so a resumed search ends exactly as an uninterrupted one would.
 *
 * <pre>{@code
 * SearchResult result = SearchRunner.builder(space, Strategies.regularizedEvolution())
 *         .estimator(estimator)
 *         .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
 *         .budget(Budget.trials(200))
 *         .seed(42)
 *         .build()
 *         .run();
 * }</pre>
 */
public final class SearchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SearchRunner.class);
    private final SearchSpace space;
    private final StrategyFactory strategy;
    private final Estimator estimator;
    private final Objective objective;
    private final Budget budget;
    private final int parallelism;
    private final TrialExecutor executor;
    private final long seed;
    private final Path journal;
    private final List<SearchListener> listeners;

    private SearchRunner(Builder b) {
        this.space = b.space;
        this.strategy = b.strategy;
        this.estimator = b.estimator;
        this.objective = b.objective;
        this.budget = b.budget;
        this.parallelism = b.parallelism;
        this.executor = b.executor;
        this.seed = b.seed;
        this.journal = b.journal;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder for a search of {@code space} with {@code strategy}: both required. */
    public static Builder builder(SearchSpace space, StrategyFactory strategy) {
        return new Builder(space, strategy);
    }

    /** The header a journal of this search carries. */
    public JournalHeader journalHeader() {
        return new JournalHeader(space.identity(), strategy.configuration(), estimator.description(),
                objective.toString(), seed, parallelism);
    }

    /**
     * Runs the search until the budget is spent or the strategy answers {@link Ask#done() DONE}; an exception if
     * the strategy answers {@link Ask#waitForTrials() WAIT} with no trial in flight.
     */
    public SearchResult run() {
        Journal j = null;
        try {
            if (journal != null) {
                j = Journal.open(journal, journalHeader(), space);
            }
            return run(j);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + journal, e);
        } finally {
            if (j != null) {
                try {
                    j.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot close journal " + j.file(), e);
                }
            }
        }
    }

    private SearchResult run(Journal j) {
        long start = System.nanoTime();
        Optional<Path> directory = j == null ? Optional.empty()
                : Optional.of(j.file().toAbsolutePath().getParent());
        Strategy s = strategy.create(new SearchContext(space, objective, Seeds.derive(seed, "strategy"), directory,
                () -> budget.isExhausted(0, elapsed(start))));
        Optional<Duration> wallClock = Optional.ofNullable(budget.maxWallClock()).map(d -> d.minus(elapsed(start)));
        TrialExecutor.Session session = executor.open(space, estimator, parallelism, wallClock);
        TrialEvaluator evaluator = new TrialEvaluator(estimator, objective, j, parallelism, session);
        List<Trial> finished = new ArrayList<>();
        TreeMap<Integer, CompletableFuture<Trial>> inFlight = new TreeMap<>();
        int resumed = j == null ? 0 : j.recorded().size();
        listeners.forEach(l -> l.onSearchStarted(budget, resumed));
        int nextId = 0;
        int failed = 0;
        Trial best = null;
        boolean warnedAboutParents = estimator.supportsWeightInheritance();
        try {
            boolean done = false;
            while (true) {
                while (!done && inFlight.size() < parallelism && !budget.isExhausted(nextId, elapsed(start))) {
                    Ask a = s.ask();
                    if (a.kind() == Ask.Kind.DONE) {
                        done = true;
                    } else if (a.kind() == Ask.Kind.WAIT) {
                        if (inFlight.isEmpty()) {
                            throw new IllegalStateException("strategy " + strategy.configuration() + " answered "
                                    + "WAIT with no trial in flight (after " + nextId + " proposals): it would wait "
                                    + "forever; a strategy with nothing more to propose must answer DONE");
                        }
                        break;
                    } else {
                        int id = nextId++;
                        if (checkParent(id, a.proposal(), finished.size()) && !warnedAboutParents) {
                            warnedAboutParents = true;
                            LOG.warn("strategy {} names parent trials, but estimator {} does not support weight "
                                    + "inheritance: every trial starts from scratch", strategy.name(),
                                    estimator.description());
                        }
                        inFlight.put(id, submit(id, a.proposal(), j, evaluator));
                    }
                }
                if (inFlight.isEmpty()) {
                    break;
                }
                Trial t = await(inFlight.pollFirstEntry().getValue());
                finished.add(t);
                s.tell(t.visibleToStrategy());
                if (t.state() == TrialState.FAILED) {
                    failed++;
                }
                if (objective.score(t) > Double.NEGATIVE_INFINITY
                        && (best == null || objective.score(t) > objective.score(best))) {
                    best = t;
                }
                SearchProgress progress = new SearchProgress(finished.size(), failed, budget, elapsed(start),
                        Optional.ofNullable(best), objective);
                for (SearchListener l : listeners) {
                    l.onTrialFinished(t, progress);
                }
            }
        } finally {
            session.close();
        }
        SearchResult result = new SearchResult(finished, objective);
        listeners.forEach(l -> l.onSearchFinished(result));
        return result;
    }

    /**
     * A parent must be a trial the strategy has been told of (tells come in id order, so ids below {@code told}):
     * its weights are then stored before the child starts, whatever the thread timing.
     *
     * @return whether the proposal names a parent
     */
    private boolean checkParent(int id, Proposal p, int told) {
        if (p.parent().isEmpty()) {
            return false;
        }
        int parent = p.parent().getAsInt();
        if (parent >= told) {
            throw new IllegalStateException("strategy " + strategy.name() + " proposed trial " + id
                    + " with parent trial " + parent + ", but a parent must be a finished trial the strategy has "
                    + "been told of (" + (told == 0 ? "none" : "ids 0 to " + (told - 1)) + " so far)");
        }
        return true;
    }

    private CompletableFuture<Trial> submit(int id, Proposal p, Journal j, TrialEvaluator evaluator) {
        Trial recorded = j == null ? null : j.recorded().get(id);
        if (recorded != null) {
            if (!recorded.architecture().equals(p.architecture()) || recorded.fidelity() != p.fidelity()
                    || !recorded.parent().equals(p.parent())) {
                throw new JournalMismatchException("journal " + j.file() + ": trial " + id + " was "
                        + recorded.architecture() + " at fidelity " + recorded.fidelity() + parentText(recorded.parent())
                        + ", but the strategy now proposes " + p.architecture() + " at fidelity " + p.fidelity()
                        + parentText(p.parent()) + ": the journal was written by a different search");
            }
            return CompletableFuture.completedFuture(recorded);
        }
        long trialSeed = Seeds.derive(seed, "trial", id);
        return evaluator.start(id, p, trialSeed);
    }

    private static String parentText(OptionalInt parent) {
        return parent.isPresent() ? " with parent trial " + parent.getAsInt() : "";
    }

    private static Trial await(CompletableFuture<Trial> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a trial", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("trial evaluation failed outside the estimator", cause);
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Builds a {@link SearchRunner}; every setter validates at once. */
    public static final class Builder {
        private final SearchSpace space;
        private final StrategyFactory strategy;
        private Estimator estimator;
        private Objective objective = Objective.maximize(Metric.VALIDATION_ACCURACY);
        private Budget budget = Budget.trials(100);
        private int parallelism = 1;
        private TrialExecutor executor = LocalExecutor.create();
        private long seed = 0;
        private Path journal;
        private final List<SearchListener> listeners = new ArrayList<>();

        private Builder(SearchSpace space, StrategyFactory strategy) {
            this.space = Objects.requireNonNull(space, "space");
            this.strategy = Objects.requireNonNull(strategy, "strategy");
        }

        /** The estimator that evaluates proposals. Required. */
        public Builder estimator(Estimator estimator) {
            this.estimator = Objects.requireNonNull(estimator, "estimator");
            return this;
        }

        /** What to optimise. Default: maximise {@link Metric#VALIDATION_ACCURACY}. */
        public Builder objective(Objective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /** When to stop. Default: 100 trials. */
        public Builder budget(Budget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Trials evaluated at once, in [1, 1024]. Default: 1. */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1 || parallelism > 1024) {
                throw new IllegalArgumentException("parallelism must be in [1, 1024], but was " + parallelism);
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Where trials are evaluated: the runner keeps {@link #parallelism} trials in flight on it, and journals and
         * tells the strategy in this JVM. Default: {@link LocalExecutor}, a pool of {@code parallelism} threads.
         */
        public Builder executor(TrialExecutor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The root seed every other seed derives from. Default: 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Journal location (a directory, or a {@code .jsonl} file): every finished trial is written there, and a
         * search started again with the same location and configuration resumes. Default: none.
         */
        public Builder journal(Path location) {
            this.journal = Objects.requireNonNull(location, "journal location");
            return this;
        }

        /** Adds a listener. */
        public Builder listener(SearchListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The runner; an exception if the estimator was not set, if the strategy's settings contradict each other
         * ({@link StrategyFactory#validate()}), or if the strategy {@linkplain
         * StrategyFactory#inheritsWeights() asks for weight inheritance} and the estimator does not
         * {@linkplain Estimator#supportsWeightInheritance() support it}.
         */
        public SearchRunner build() {
            if (estimator == null) {
                estimator = strategy.defaultEstimator().orElseThrow(() -> new IllegalStateException(
                        "estimator must be set: call estimator(...) before build()"));
            }
            strategy.validate();
            if (strategy.inheritsWeights() && !estimator.supportsWeightInheritance()) {
                throw new IllegalArgumentException("strategy " + strategy.configuration() + " asks for weight "
                        + "inheritance, but estimator " + estimator.description() + " does not support it: use an "
                        + "estimator that keeps trained weights (e.g. a TrainingEstimator with weightInheritance(dir)) "
                        + "or turn the strategy's weight inheritance off");
            }
            return new SearchRunner(this);
        }
    }
}
