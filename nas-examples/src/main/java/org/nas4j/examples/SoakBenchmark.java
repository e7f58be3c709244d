package org.nas4j.examples;

import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchListener;
import org.nas4j.core.search.SearchProgress;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.training.MemoryReleaseSchedule;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;

/**
 * A long search with real training, to see that memory stays flat: random search over small NAS-Bench-201
 * networks (C=4, one cell per stage) on the shipped Fashion-MNIST subset, every trial trained for a few steps,
 * two trials at a time. Reads the resident memory after every trial and prints {@code RSS_MIB trial=<n>
 * rss=<MiB> peak=<MiB>} every {@code --every} trials: {@code rss} is the median of the readings since the previous
 * line (one reading depends on what the other trial in flight holds at that instant), {@code peak} the highest
 * resident memory sampled (every 20 ms) since the previous line, the footprint of those trials. Closes with
 * {@code RESULT soak trials=<n> first_rss_mib=<the line at --baseline trials> last_rss_mib=<the last line>
 * growth_pct=<%> first_peak_mib= last_peak_mib= peak_growth_pct=<%, the same for the peaks> peak_rss_mib=<MiB>
 * seconds=<s>}.
 *
 * <p>Arguments: {@code --trials 500 --every 25 --baseline 50 --steps 10 --batch 32 --channels 4 --parallelism 2
 * --seed 1 --gc --release-every default} ({@code --gc}: a full garbage collection after every trial, to tell garbage
 * that waits for the collector from memory that is really kept; {@code --release-every}: when idle native memory is
 * released, {@code default} (the estimator's default, at most every 10 s), {@code adaptive}
 * ({@code MemoryReleaseSchedule.adaptive()}) or the least seconds between two releases,
 * {@code TrainingEstimator.Builder#memoryReleaseInterval}). Run it with the JVM flags a user would (see docs/guide.md, "Memory").
 */
public final class SoakBenchmark {
    private SoakBenchmark() {
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.of("--trials", "500", "--every", "25", "--baseline", "50",
                "--steps", "10", "--batch", "32", "--channels", "4", "--parallelism", "2", "--seed", "1", "--gc", "false",
                "--release-every", "default"));
        boolean gc = a.flag("--gc");
        int trials = Arguments.positiveInt("--trials", a.get("--trials"));
        int every = Arguments.positiveInt("--every", a.get("--every"));
        int baseline = Arguments.positiveInt("--baseline", a.get("--baseline"));
        if (baseline > trials) {
            throw new IllegalArgumentException("--baseline must be <= --trials=" + trials + ", but was " + baseline);
        }
        NasBench201Space space = NasBench201Space.builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels"))).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build();
        TrainingEstimator.Builder trainingBuilder = Estimators.training(FashionMnist.bundled()).epochs(1)
                .stepsPerEpoch(Arguments.positiveInt("--steps", a.get("--steps")))
                .batchSize(Arguments.positiveInt("--batch", a.get("--batch"))).learningRate(0.1).latencyRuns(1);
        if (!a.get("--release-every").equals("default")) {
            trainingBuilder.memoryRelease(releaseSchedule(a.get("--release-every")));
        }
        TrainingEstimator training = trainingBuilder.build();
        long[] firstRss = {-1};
        long[] lastRss = {-1};
        long[] firstPeak = {-1};
        long[] lastPeak = {-1};
        RssSampler sampler = new RssSampler(20);
        java.util.List<Long> window = new java.util.ArrayList<>();
        SearchListener rss = new SearchListener() {
            @Override
            public void onTrialFinished(Trial trial, SearchProgress progress) {
                int n = progress.finished();
                if (gc) {
                    System.gc();
                }
                // one reading per trial; a printed value is the median of the readings since the last line, so
                // that what the other trial in flight happens to hold at one instant does not decide it
                window.add(ProcessMemory.rssMib());
                if (n % every == 0 || n == trials) {
                    long mib = median(window);
                    long peak = sampler.takePeak();
                    window.clear();
                    System.out.printf(Locale.ROOT, "RSS_MIB trial=%d rss=%d peak=%d%n", n, mib, peak);
                    lastRss[0] = mib;
                    lastPeak[0] = peak;
                    if (firstRss[0] < 0 && n >= baseline) {
                        firstRss[0] = mib;
                        firstPeak[0] = peak;
                    }
                }
            }
        };
        long start = System.nanoTime();
        SearchResult result = SearchRunner.builder(space, Strategies.randomSearch())
                .estimator(training)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(trials))
                .parallelism(Arguments.positiveInt("--parallelism", a.get("--parallelism")))
                .seed(Long.parseLong(a.get("--seed")))
                .listener(rss)
                .build().run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.close();
        double growth = 100.0 * (lastRss[0] - firstRss[0]) / firstRss[0];
        double peakGrowth = 100.0 * (lastPeak[0] - firstPeak[0]) / firstPeak[0];
        System.out.printf(Locale.ROOT, "RESULT soak trials=%d first_rss_mib=%d last_rss_mib=%d growth_pct=%.1f "
                        + "first_peak_mib=%d last_peak_mib=%d peak_growth_pct=%.1f peak_rss_mib=%d seconds=%.0f%n",
                result.trials().size(), firstRss[0], lastRss[0], growth, firstPeak[0], lastPeak[0], peakGrowth,
                ProcessMemory.peakRssMib(), seconds);
    }

    /** {@code adaptive}, or the least seconds between two releases of idle native memory. */
    static MemoryReleaseSchedule releaseSchedule(String value) {
        if (value.equals("adaptive")) {
            return MemoryReleaseSchedule.adaptive();
        }
        try {
            return MemoryReleaseSchedule.every(java.time.Duration.ofSeconds(Long.parseLong(value)));
        } catch (IllegalArgumentException e) { // not a number, or negative
            throw new IllegalArgumentException("--release-every must be 'default', 'adaptive' or whole seconds >= 0, "
                    + "but was " + value, e);
        }
    }

    /** The median of {@code values} (the lower middle one for an even count). */
    static long median(java.util.List<Long> values) {
        java.util.List<Long> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }
}
