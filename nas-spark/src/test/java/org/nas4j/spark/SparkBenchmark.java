package org.nas4j.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Statistics;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;

/**
 * The same search on the local executor or on Spark, for throughput and per-trial overhead. Prints
 * {@code RESULT executor=<local|spark> workers=<n> trials=<n> seconds=<s> overhead_ms_per_trial=<m>}, where
 * {@code seconds} is the search's wall clock (Spark's start not included) and the overhead is the median, over the
 * trials, of the time the runner waited for a trial minus the time its estimator ran (task submission, scheduling,
 * shipping, the result's way back; the median leaves out the one-time build of the estimator on each executor, which
 * its first trial waits for).
 *
 * <p>Arguments: {@code --executor local|spark} {@code --workers 2} (threads, or Spark's {@code local[n]}) {@code
 * --trials 40} {@code --estimator training|tabular} (training: the quickstart's tiny NAS-Bench-201 networks on the
 * first 2,000 bundled Fashion-MNIST training images, 500 of them to validate, {@code --steps 20} steps of 64 each, one
 * native thread per trial, no latency runs; tabular: NAS-Bench-201 lookups,
 * which measure nothing but the overhead) {@code --master local[n]} (another Spark master, e.g.
 * {@code local-cluster[2,1,1024]} with {@code SPARK_HOME} set).
 */
public final class SparkBenchmark {
    /** The seconds a trial's estimator ran, reported beside its metrics; strategies never see it. */
    /** The bundled Fashion-MNIST training images the training benchmark uses (a quarter of them to validate). */
    static final int TRAINING_IMAGES = 2000;
    static final Metric ESTIMATOR_SECONDS = Metric.reportOnly("estimator_seconds", Metric.Direction.MINIMIZE);

    private SparkBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> a = arguments(args);
        String executor = a.get("--executor");
        int workers = positive("--workers", a.get("--workers"));
        int trials = positive("--trials", a.get("--trials"));
        int steps = positive("--steps", a.get("--steps"));
        String kind = a.get("--estimator");
        if (!List.of("local", "spark").contains(executor)) {
            throw new IllegalArgumentException("--executor must be local or spark, but was " + executor);
        }
        Recipe<Estimator> estimator = switch (kind) {
            case "training" -> () -> new Timed(training(steps));
            case "tabular" -> () -> new Timed(TabularEstimator.nasBench201Cifar10());
            default -> throw new IllegalArgumentException("--estimator must be training or tabular, but was " + kind);
        };
        Recipe<SearchSpace> space = kind.equals("training") ? SparkBenchmark::smallSpace : Spaces::nasBench201;
        SparkContext spark = null;
        JobTimes jobs = new JobTimes();
        try {
            SearchRunner.Builder search = SearchRunner.builder(create(space), Strategies.regularizedEvolution()
                            .populationSize(10).sampleSize(3))
                    .estimator(create(estimator)).budget(Budget.trials(trials)).parallelism(workers).seed(7);
            if (executor.equals("spark")) {
                String master = a.getOrDefault("--master", "local[" + workers + "]");
                spark = new SparkContext(SparkExecutorTest.localConf(master).setAppName("nas4j-benchmark"));
                spark.addSparkListener(jobs);
                search.executor(SparkExecutor.of(spark, space, estimator));
            }
            long start = System.nanoTime();
            SearchResult result = search.build().run();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Double> overheads = new java.util.ArrayList<>();
            for (Trial t : result.trials()) {
                overheads.add(t.seconds() - t.find(ESTIMATOR_SECONDS).orElse(t.seconds()));
            }
            double median = median(overheads);
            System.out.printf(Locale.ROOT, "RESULT executor=%s workers=%d trials=%d seconds=%.2f "
                            + "overhead_ms_per_trial=%.1f%n", executor, workers, result.trials().size(), seconds,
                    1000 * median);
            if (spark != null) {
                printParts(result, jobs);
            }
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    /**
     * Prints {@code PARTS} with the medians over trials, in milliseconds, of where the overhead goes: {@code
     * driver} (the runner's wait outside the trial's Spark job: submission to the job's start, the job's end to the
     * runner), {@code launch} (job start to task launch), {@code task} (the task's time outside its run: shipping,
     * deserialization, the result's way back), {@code run} (the task's run outside the estimator: building the
     * request, the result).
     */
    private static void printParts(SearchResult result, JobTimes jobs) {
        List<Double> driver = new java.util.ArrayList<>();
        List<Double> launch = new java.util.ArrayList<>();
        List<Double> task = new java.util.ArrayList<>();
        List<Double> run = new java.util.ArrayList<>();
        for (Trial t : result.trials()) {
            JobTimes.Times times = jobs.of(t.id());
            if (times == null) {
                continue;
            }
            driver.add(1000 * t.seconds() - times.spanMs());
            launch.add((double) times.launchWaitMs());
            task.add((double) times.outsideRunMs());
            run.add(times.runMs() - 1000 * t.find(ESTIMATOR_SECONDS).orElse(0));
        }
        System.out.printf(Locale.ROOT, "PARTS driver_ms=%.1f launch_ms=%.1f task_ms=%.1f run_ms=%.1f jobs=%d%n",
                median(driver), median(launch), median(task), median(run), driver.size());
    }

    private static double median(List<Double> values) {
        return Statistics.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static SearchSpace smallSpace() {
        return Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1).imageSize(28).build();
    }

    static Estimator training(int steps) {
        TrainTest all = FashionMnist.bundled();
        TrainTest data = new TrainTest(all.train().head(TRAINING_IMAGES), all.test().head(1));
        return Estimators.training(data).epochs(1).stepsPerEpoch(steps).batchSize(64).validationFraction(0.25)
                .latencyRuns(0).learningRate(0.1).nativeThreads(1).build();
    }

    private static <T> T create(Recipe<T> recipe) {
        try {
            return recipe.create();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build " + recipe, e);
        }
    }

    /** An estimator that also reports how long it ran ({@link #ESTIMATOR_SECONDS}). */
    static final class Timed implements Estimator {
        private final Estimator inner;

        Timed(Estimator inner) {
            this.inner = inner;
        }

        @Override
        public String description() {
            return "timed(" + inner.description() + ")";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest request) throws Exception {
            long start = System.nanoTime();
            Evaluation e = inner.evaluate(request);
            return e.with(ESTIMATOR_SECONDS, (System.nanoTime() - start) / 1e9);
        }
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> a = new LinkedHashMap<>(Map.of("--executor", "spark", "--workers", "2", "--trials", "40",
                "--estimator", "training", "--steps", "20"));
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in pairs (--name value), but were " + List.of(args));
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!a.containsKey(args[i]) && !args[i].equals("--master")) {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; known: " + a.keySet()
                        + " and --master");
            }
            a.put(args[i], args[i + 1]);
        }
        return a;
    }

    private static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, but was '" + value + "'");
    }
}
