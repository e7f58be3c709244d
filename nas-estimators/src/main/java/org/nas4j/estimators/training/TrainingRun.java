package org.nas4j.estimators.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Statistics;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.DropPathRate;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.spaces.darts.DropPathSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One training run of one network: the loop, its data order, its early stopping. Used once, by one thread. */
final class TrainingRun {

    private record Score(double loss, double accuracy) {
    }

    private final TrainingEstimator config;
    private final TrainableNetwork net;
    private final long seed;
    private final int epochs;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final SoftmaxCrossEntropy auxiliaryLoss = new SoftmaxCrossEntropy();

    TrainingRun(TrainingEstimator config, TrainableNetwork net, long seed, int epochs) {
        this.config = config;
        this.net = net;
        this.seed = seed;
        this.epochs = epochs;
    }

    Evaluation run() {
        ImageDataset train = config.trainPart();
        int batch = Math.min(config.batchSize(), train.size());
        int fullSteps = train.size() / batch;
        int stepsPerEpoch = config.stepsPerEpoch() > 0 ? Math.min(config.stepsPerEpoch(), fullSteps) : fullSteps;
        long totalSteps = (long) stepsPerEpoch * epochs;
        LearningRateSchedule lr = config.cosine() ? LearningRateSchedule.cosine(config.learningRate(), totalSteps, 0)
                : LearningRateSchedule.constant(config.learningRate());
        Optimizer optimizer = config.optimizer() == TrainingEstimator.OptimizerKind.ADAM
                ? Adam.builder(net.parameters(), lr).weightDecay(config.weightDecay()).build()
                : Sgd.builder(net.parameters(), lr).momentum(config.momentum()).nesterov(config.momentum() > 0)
                        .weightDecay(config.weightDecay()).build();
        SplitMix64 order = new SplitMix64(Seeds.derive(seed, "data order"));
        SplitMix64 augment = new SplitMix64(Seeds.derive(seed, "augmentation"));
        Batches batches = new Batches(train, batch);
        long start = System.nanoTime();
        double trainCorrect = 0;
        int trainSeen = 0;
        Score valid = null;
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        int[] perm = new int[0];
        int cursor = train.size();
        DropPathRate dropPath = net.dropPathRate().orElse(null);
        DropPathSchedule schedule = dropPath == null || dropPath.get() == 0 ? null
                : new DropPathSchedule(dropPath.get(), epochs);
        for (epoch = 1; epoch <= epochs; epoch++) {
            if (schedule != null) {
                dropPath.set(schedule.probability(epoch - 1));
            }
            trainCorrect = 0;
            trainSeen = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    // native ops ignore interrupts: a cancelled trial (e.g. a Spark task killed at the wall-clock
                    // budget) must stop here, between two steps, to free its cores
                    throw new CancellationException(String.format(Locale.ROOT, "training cancelled (its thread was "
                            + "interrupted) before step %d of %d of epoch %d of %d", step + 1, stepsPerEpoch, epoch,
                            epochs));
                }
                if (cursor + batch > train.size()) {
                    perm = ImageDataset.permutation(train.size(), order);
                    cursor = 0;
                }
                INDArray x = batches.load(perm, cursor, batch, config.augmentation().isIdentity() ? null
                        : config.augmentation(), augment);
                cursor += batch;
                INDArray logits = net.forward(x, Mode.TRAINING);
                INDArray labels = batches.oneHot(batch);
                double l = loss.forward(logits, labels);
                INDArray auxiliaryLogits = net.auxiliaryLogits();
                if (auxiliaryLogits != null) {
                    l += net.auxiliaryWeight() * auxiliaryLoss.forward(auxiliaryLogits, labels);
                }
                if (!Double.isFinite(l)) {
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "training diverged: loss was %s at epoch %d of %d, step %d of %d (learning rate %.3g)",
                            l, epoch, epochs, step + 1, stepsPerEpoch, optimizer.learningRate()));
                }
                trainCorrect += batches.correct(logits, batch);
                trainSeen += batch;
                if (auxiliaryLogits != null) {
                    net.backward(loss.backward(), auxiliaryLoss.backward().muli(net.auxiliaryWeight()));
                } else {
                    net.backward(loss.backward());
                }
                if (config.gradientClipping() > 0) {
                    GradientClipping.clipByGlobalNorm(net.parameters(), config.gradientClipping());
                }
                optimizer.step();
            }
            boolean last = epoch == epochs;
            if (config.validPart() != null && (config.patience() > 0 || last)) {
                valid = score(config.validPart(), "validation", epoch);
                if (valid.accuracy() > best) {
                    best = valid.accuracy();
                    bestEpoch = epoch;
                } else if (config.patience() > 0 && epoch - bestEpoch >= config.patience() && !last) {
                    break;
                }
            }
        }
        int trained = Math.min(epoch, epochs);
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation e = new Evaluation(java.util.Map.of(), false);
        if (valid != null) {
            e = e.with(Metric.VALIDATION_ACCURACY, valid.accuracy()).with(Metric.VALIDATION_LOSS, valid.loss());
        }
        e = e.with(Metric.TRAIN_ACCURACY, trainSeen == 0 ? Double.NaN : 100.0 * trainCorrect / trainSeen)
                .with(Metric.PARAMETERS, net.parameterCount())
                .with(Metric.TRAINING_SECONDS, seconds)
                .with(Metric.EPOCHS, trained);
        if (config.latencyRuns() > 0) {
            e = e.with(Metric.LATENCY_MS, latencyMs());
        }
        if (config.testAccuracy()) {
            e = e.with(Metric.TEST_ACCURACY, score(config.testPart(), "test", trained).accuracy());
        }
        // stopping on a plateau is the normal end of an early-stopped run, not pruning: the trial stays COMPLETE
        return e;
    }

    private Score score(ImageDataset data, String what, int epoch) {
        int batch = Math.min(config.evaluationBatchSize(), data.size());
        Batches batches = new Batches(data, batch);
        int[] identity = new int[data.size()];
        Arrays.setAll(identity, i -> i);
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int n = Math.min(batch, data.size() - from);
            INDArray logits = net.forward(batches.load(identity, from, n, null, null), Mode.INFERENCE);
            double l = loss.forward(logits, batches.oneHot(n));
            if (!Double.isFinite(l)) {
                throw new TrainingDivergedException("training diverged: " + what + " loss was " + l
                        + " after epoch " + epoch);
            }
            lossSum += l * n;
            correct += batches.correct(logits, n);
        }
        return new Score(lossSum / data.size(), 100.0 * correct / data.size());
    }

    /** Median wall time of a batch-1 inference forward pass, after one warm-up run. */
    private double latencyMs() {
        INDArray x = MemoryScope.track(Nd4j.zeros(DataType.FLOAT, 1, net.inputChannels(), net.inputHeight(),
                net.inputWidth()));
        net.forward(x, Mode.INFERENCE);
        double[] ms = new double[config.latencyRuns()];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            net.forward(x, Mode.INFERENCE).getDouble(0);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return Statistics.median(ms);
    }
}
