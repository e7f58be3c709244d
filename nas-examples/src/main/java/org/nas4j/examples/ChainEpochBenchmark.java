package org.nas4j.examples;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nas4j.estimators.training.Batches;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Times one training epoch of a small mobile chain on the shipped Fashion-MNIST subset (10,000 training images,
 * 1x28x28, pixels scaled to [0, 1]), the counterpart of {@code bench/torch_chain_epoch.py}: the same network layer
 * for layer, the same data, batch and optimizer, the same output lines. The chain ({@link MobileChain}) is the small
 * ProxylessNAS chain ({@code ProxylessSpace.small()}) or the small SPOS chain ({@code SposSpace.small()}), compiled
 * by {@link NetworkCompiler}; the architecture is the chain's default, one given in the space's text form, or
 * {@code random:<seed>} (drawn from the space).
 *
 * <p>An epoch is {@code samples / batch} steps (the last partial batch dropped) over a fresh seeded permutation,
 * each step: the batch copied into the input array, forward in training mode, softmax cross-entropy, backward, an
 * SGD step with momentum (no dampening, not Nesterov: PyTorch's {@code torch.optim.SGD}) and weight decay. Before
 * the timed epochs {@code --warmup} steps run untimed on the same network.
 *
 * <p>Usage: {@code ChainEpochBenchmark [--chain proxyless|spos] [--arch TEXT|random:SEED] [--batch 64]
 * [--epochs 1] [--warmup 5] [--lr 0.05] [--momentum 0.9] [--weight-decay 4e-5] [--samples 0] [--seed 0]
 * [--threads N]}; {@code --epochs} timed epochs; {@code --samples} the first that many training images (0: all);
 * native threads as a user gets them ({@link NativeThreads}: {@code OMP_NUM_THREADS} if set, else
 * {@code --threads}, else every core). Prints {@code ARCH <text>} (the architecture, to give the PyTorch side),
 * {@code PARAMS <n>}, {@code RESULT nas4j_chain_<chain>_epoch median=<s> min=<s> max=<s> n=<epochs>} and
 * {@code PEAK_RSS_MIB <n>}.
 */
public final class ChainEpochBenchmark {

    private ChainEpochBenchmark() {
    }

    /** Runs the benchmark; see the class documentation for the arguments. */
    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.ofEntries(Map.entry("--chain", "proxyless"), Map.entry("--arch", ""),
                Map.entry("--batch", "64"), Map.entry("--epochs", "1"), Map.entry("--warmup", "5"),
                Map.entry("--lr", "0.05"), Map.entry("--momentum", "0.9"), Map.entry("--weight-decay", "4e-5"),
                Map.entry("--samples", "0"), Map.entry("--seed", "0"), Map.entry("--threads", "0")));
        if (!a.positional().isEmpty()) {
            throw new IllegalArgumentException("ChainEpochBenchmark takes only options, but was given "
                    + a.positional());
        }
        MobileChain chain = MobileChain.named(a.get("--chain"));
        Architecture architecture = chain.architecture(a.get("--arch"));
        int batch = Arguments.positiveInt("--batch", a.get("--batch"));
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be >= 2 (batch norm needs two samples), but was " + batch);
        }
        int epochs = Arguments.positiveInt("--epochs", a.get("--epochs"));
        int warmup = atLeastZero("--warmup", a.get("--warmup"));
        double lr = number("--lr", a.get("--lr"), 0, false, Double.POSITIVE_INFINITY);
        double momentum = number("--momentum", a.get("--momentum"), 0, true, 1);
        double weightDecay = number("--weight-decay", a.get("--weight-decay"), 0, true, Double.POSITIVE_INFINITY);
        int samples = atLeastZero("--samples", a.get("--samples"));
        long seed = seed(a.get("--seed"));
        OptionalInt threads = a.threads();

        ImageDataset train = FashionMnist.bundled().train();
        if (samples > train.size() || (samples > 0 && samples < batch)) {
            throw new IllegalArgumentException("--samples must be 0 (all " + train.size() + ") or in [--batch = "
                    + batch + ", " + train.size() + "], but was " + samples);
        }
        if (samples > 0) {
            train = train.head(samples);
        }
        if (batch > train.size()) {
            throw new IllegalArgumentException("--batch must be at most the " + train.size() + " training images, but"
                    + " was " + batch);
        }

        NativeThreads.Choice choice = BenchmarkBackend.prepareAndDescribe(threads);

        TrainableNetwork net = NetworkCompiler.compile(architecture, seed);
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(lr)).momentum(momentum)
                .weightDecay(weightDecay).build();
        Loop loop = new Loop(net, sgd, train, batch, seed);
        System.out.println("ARCH " + architecture.space().format(architecture));
        System.out.println("PARAMS " + net.parameterCount());
        loop.steps(Math.min(warmup, loop.stepsPerEpoch()));
        StepTimes times = StepTimes.measure(0, epochs, () -> loop.steps(loop.stepsPerEpoch()));
        System.out.printf(Locale.ROOT, "nas4j chain %s: %d images, batch %d, %d steps per epoch, mean loss of the "
                + "last epoch %.4f%n", chain.label(), train.size(), batch, loop.stepsPerEpoch(), times.lastValue());
        double[] s = times.millis();
        System.out.printf(Locale.ROOT, "RESULT nas4j_chain_%s_epoch median=%.3f min=%.3f max=%.3f n=%d%n",
                chain.label(), times.median() / 1e3, s[0] / 1e3, s[s.length - 1] / 1e3, s.length);
        System.out.println("PEAK_RSS_MIB " + ProcessMemory.peakRssMib());
    }

    /** The training loop of one network: batches over seeded permutations of the data, as many as asked. */
    private static final class Loop {
        private final TrainableNetwork net;
        private final Sgd sgd;
        private final ImageDataset data;
        private final int batch;
        private final SplitMix64 order;
        private final Batches batches;
        private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        private int[] permutation = new int[0];
        private int cursor;

        Loop(TrainableNetwork net, Sgd sgd, ImageDataset data, int batch, long seed) {
            this.net = net;
            this.sgd = sgd;
            this.data = data;
            this.batch = batch;
            this.order = new SplitMix64(seed);
            this.batches = new Batches(data, batch);
        }

        int stepsPerEpoch() {
            return data.size() / batch;
        }

        /** Trains {@code count} steps, the data reshuffled whenever a batch would not fit; their mean loss. */
        double steps(int count) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                if (cursor + batch > permutation.length) {
                    permutation = ImageDataset.permutation(data.size(), order);
                    cursor = 0;
                }
                INDArray x = batches.load(permutation, cursor, batch, null, null);
                cursor += batch;
                double value = loss.forward(net.forward(x, Mode.TRAINING), batches.oneHot(batch));
                if (!Double.isFinite(value)) {
                    throw new IllegalStateException("training diverged: loss " + value + "; lower --lr");
                }
                net.backward(loss.backward());
                sgd.step();
                sum += value;
            }
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    private static int atLeastZero(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an integer >= 0, but was '" + value + "'");
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be an integer, but was '" + value + "'", e);
        }
    }

    /** {@code value} as a number in {@code [low, high)} ({@code (low, high)} when {@code lowIncluded} is false). */
    private static double number(String name, String value, double low, boolean lowIncluded, double high) {
        try {
            double x = Double.parseDouble(value.trim());
            if ((lowIncluded ? x >= low : x > low) && x < high) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be a number in %s%s, %s), but was "
                + "'%s'", name, lowIncluded ? "[" : "(", low, high == Double.POSITIVE_INFINITY ? "inf" : high, value));
    }
}
