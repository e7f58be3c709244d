package org.nas4j.core.search;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.nas4j.core.space.SearchSpace;

/**
 * The default {@link TrialExecutor}: evaluates trials on a pool of {@code parallelism} daemon threads in this JVM,
 * each trial on one thread from start to end. Trials in flight when the wall-clock budget runs out finish (see
 * {@link Budget}). An exception or {@link OutOfMemoryError} / {@link StackOverflowError} of the estimator fails the
 * trial; any other {@link Error} stops the search. Immutable and thread-safe; each run gets its own pool.
 */
public final class LocalExecutor implements TrialExecutor {

    private LocalExecutor() {
    }

    /** A local executor. */
    public static LocalExecutor create() {
        return new LocalExecutor();
    }

    @Override
    public Session open(SearchSpace space, Estimator estimator, int parallelism, Optional<Duration> wallClock) {
        Objects.requireNonNull(estimator, "estimator");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, but was " + parallelism);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
        return new Session() {
            @Override
            public CompletableFuture<Evaluation> submit(EvaluationRequest request) {
                return CompletableFuture.supplyAsync(() -> evaluate(estimator, request), pool);
            }

            @Override
            public void close() {
                pool.shutdownNow();
            }
        };
    }

    private static Evaluation evaluate(Estimator estimator, EvaluationRequest request) {
        try {
            return estimator.evaluate(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "nas4j-trial-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "local";
    }
}
