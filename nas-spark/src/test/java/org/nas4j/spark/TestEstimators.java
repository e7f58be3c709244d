package org.nas4j.spark;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;

/** Estimators of the Spark tests, built on the executors from recipes (so: no captured state). */
final class TestEstimators {
    private TestEstimators() {
    }

    /** A score from the architecture's text and the seed. */
    static Evaluation score(EvaluationRequest r) {
        double v = Math.floorMod(r.architecture().toString().hashCode() + r.seed(), 10_000) / 100.0;
        return Evaluation.of(Metric.VALIDATION_ACCURACY, v);
    }

    /** Throws for every trial whose id is 1 modulo 4. */
    static final class Flaky implements Estimator {
        @Override
        public String description() {
            return "flaky";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            if (r.trialId() % 4 == 1) {
                throw new IllegalStateException("no memory left for trial " + r.trialId());
            }
            return score(r);
        }
    }

    /** An {@link Error} outside the estimator's failures: Spark sees the task fail, as when it is lost. */
    static final class TaskLost extends Error {
        private static final long serialVersionUID = 1L;

        TaskLost(String message) {
            super(message);
        }
    }

    /** Loses the task of trial 2 once and the task of trial 5 every time. */
    static final class Losing implements Estimator {
        private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Override
        public String description() {
            return "losing";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            int attempt = attempts.computeIfAbsent(r.trialId(), id -> new AtomicInteger()).incrementAndGet();
            if ((r.trialId() == 2 && attempt == 1) || r.trialId() == 5) {
                throw new TaskLost("executor gone during trial " + r.trialId() + ", attempt " + attempt);
            }
            return score(r);
        }
    }

    /**
     * Trains for {@code steps} steps of about 10 ms each, and stops between two steps when its thread is
     * interrupted, as nas4j's training loop does.
     */
    static final class Slow implements Estimator {
        private final int steps;

        Slow(int steps) {
            this.steps = steps;
        }

        @Override
        public String description() {
            return "slow(" + steps + ")";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            for (int step = 0; step < steps; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted before step " + step);
                }
                long end = System.nanoTime() + 10_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            return score(r);
        }
    }

    /**
     * {@link Slow}, except that the first JVM to evaluate trial {@code victim} dies in the middle of it
     * ({@code Runtime.halt}, as a killed executor), leaving a marker file so that the trial's retry on another JVM
     * completes. The directory must be one every executor sees (the tests run them on one machine).
     */
    static final class DyingOnce implements Estimator {
        private final Slow slow;
        private final String markerDirectory;
        private final int victim;

        DyingOnce(int steps, String markerDirectory, int victim) {
            this.slow = new Slow(steps);
            this.markerDirectory = markerDirectory;
            this.victim = victim;
        }

        static java.nio.file.Path marker(String directory, int trial) {
            return java.nio.file.Path.of(directory, "jvm-killed-in-trial-" + trial);
        }

        @Override
        public String description() {
            return "dying-once(" + slow.description() + ", trial " + victim + ")";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) throws java.io.IOException {
            if (r.trialId() == victim) {
                try {
                    java.nio.file.Files.writeString(marker(markerDirectory, victim),
                            "pid " + ProcessHandle.current().pid(), java.nio.file.StandardOpenOption.CREATE_NEW);
                    Runtime.getRuntime().halt(137);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // a JVM died in this trial already: this is the retry
                }
            }
            return slow.evaluate(r);
        }
    }
}
