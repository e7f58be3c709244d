package org.nas4j.examples.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;

/**
 * A small real-training search, run in a child JVM by {@link KillResumeTest} and killed there: regularized
 * evolution over a tiny NAS-Bench-201 network (C=2, one cell per stage) trained for one epoch on 200 images of
 * the shipped Fashion-MNIST subset, 2 trials at a time, journaled.
 *
 * <p>Arguments: the journal directory, the number of trials, and a file to write the result to (one line per
 * trial, timing left out: see {@link #summary}).
 */
public final class CrashableSearch {
    private CrashableSearch() {
    }

    public static void main(String[] args) throws IOException {
        Path journal = Path.of(args[0]);
        int trials = Integer.parseInt(args[1]);
        Path result = Path.of(args[2]);
        TrainTest all = FashionMnist.bundled();
        TrainTest data = new TrainTest(all.train().head(200), all.test().head(10));
        NasBench201Space space = NasBench201Space.builder().channels(2).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build();
        SearchResult r = SearchRunner.builder(space, Strategies.regularizedEvolution().populationSize(6).sampleSize(2))
                .estimator(Estimators.training(data).epochs(1).batchSize(25).learningRate(0.1)
                        .validationFraction(0.25).latencyRuns(1).build())
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(trials))
                .parallelism(2)
                .seed(2026)
                .journal(journal)
                .build()
                .run();
        Files.write(result, summary(r));
    }

    /** Every trial, every field and metric, except the measured times (train_seconds, latency_ms, seconds). */
    static List<String> summary(SearchResult r) {
        List<String> lines = new ArrayList<>();
        for (Trial t : r.trials()) {
            StringBuilder s = new StringBuilder(t.id() + " " + t.architecture() + " " + t.state() + " seed=" + t.seed()
                    + " fidelity=" + t.fidelity() + " parent=" + t.parent() + " reason='" + t.reason() + "'");
            t.metrics().forEach((m, v) -> {
                if (!m.equals(Metric.TRAINING_SECONDS) && !m.equals(Metric.LATENCY_MS)) {
                    s.append(' ').append(m.name()).append('=').append(v);
                }
            });
            lines.add(s.toString());
        }
        return lines;
    }
}
