package org.nas4j.examples;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.EnasChannelSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one shared-weight training step of ENAS' macro search child (melodyguan/enas, {@code general_child.py}) in
 * both modes: {@code whole}, the single-path {@link ComposedSupernet} of {@code whole_channels=True} (one branch per
 * layer, drawn), and {@code ranges}, the {@link EnasChannelSupernet} of {@code whole_channels=False} (every branch of
 * every layer on a drawn channel range). A step is a forward pass in training mode on a fresh path, the
 * cross-entropy, the backward pass and an SGD step (learning rate 0.05, momentum 0.9). Inputs are uniform random
 * {@code [B, C, S, S]} batches, labels {@code arange(B) % 10}.
 *
 * <p>Usage: {@code EnasMacroStepBenchmark MODE [--layers 12] [--filters 36] [--size 32] [--input-channels 3]
 * [--batch 128] [--steps 5] [--warmup 2] [--threads N]} (defaults: {@code cifar10_macro_search.sh}'s child and
 * batch). Prints {@code RESULT nas4j_enas_macro_<mode>_step median=<ms> min=<ms> max=<ms> n=<steps>} (wall
 * time), {@code PEAK_RSS_MIB <n>} and {@code CPU nas4j_enas_macro_<mode>_step median=<ms> ...} (the process's CPU
 * time per step, all threads).
 */
public final class EnasMacroStepBenchmark {

    private static final List<String> MODES = List.of("whole", "ranges");

    private EnasMacroStepBenchmark() {
    }

    /** Runs the benchmark; see the class documentation for the arguments. */
    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.of("--layers", "12", "--filters", "36", "--size", "32",
                "--input-channels", "3", "--batch", "128", "--steps", "5", "--warmup", "2", "--threads", "0"));
        String mode = a.mode(MODES);
        int layers = Arguments.positiveInt("--layers", a.get("--layers"));
        int filters = Arguments.positiveInt("--filters", a.get("--filters"));
        int size = Arguments.positiveInt("--size", a.get("--size"));
        int inputChannels = Arguments.positiveInt("--input-channels", a.get("--input-channels"));
        int batch = Arguments.positiveInt("--batch", a.get("--batch"));
        int steps = Arguments.positiveInt("--steps", a.get("--steps"));
        int warmup = Integer.parseInt(a.get("--warmup"));
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, but was " + warmup);
        }
        OptionalInt threads = a.threads();

        NativeThreads.Choice choice = BenchmarkBackend.prepareAndDescribe(threads);

        ComposedSpace space = EnasMacroSpace.builder().name("enas-macro-bench").layers(layers).outFilters(filters)
                .input(inputChannels, size).wholeChannels(mode.equals("whole")).build();
        Supernet net = mode.equals("whole")
                ? ComposedSupernet.compile(space, PathPolicies.singlePath(0), ModuleCatalogue.standard(),
                        DataType.FLOAT, 0)
                : EnasChannelSupernet.compile(space, PathPolicies.singlePath(0), ModuleCatalogue.standard(),
                        DataType.FLOAT, 0);
        Sgd sgd = Sgd.builder(net.weights(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        INDArray images = images(batch, inputChannels, size);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % 10;
        }
        INDArray labels = SoftmaxCrossEntropy.oneHot(y, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[] cpu = new double[steps];
        int[] step = {0};
        StepTimes times = StepTimes.measure(warmup, steps, () -> {
            long c0 = os.getProcessCpuTime();
            double value = loss.forward(net.forward(images, Mode.TRAINING), labels);
            net.backward(loss.backward());
            sgd.step();
            if (step[0] >= warmup) {
                cpu[step[0] - warmup] = (os.getProcessCpuTime() - c0) / 1e6;
            }
            step[0]++;
            return value;
        });
        times.print("nas4j_enas_macro_" + mode + "_step", net.weights().size());
        // the process's CPU time (all threads) per step: unlike the wall time, not lengthened while the process
        // waits for the cores or is stopped
        java.util.Arrays.sort(cpu);
        System.out.printf(java.util.Locale.ROOT, "CPU %s median=%.2f min=%.2f max=%.2f n=%d%n",
                "nas4j_enas_macro_" + mode + "_step", org.nas4j.core.search.Statistics.median(cpu), cpu[0],
                cpu[cpu.length - 1], cpu.length);
    }

    private static INDArray images(int batch, int channels, int size) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] pixels = new float[batch * channels * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(pixels, new long[] {batch, channels, size, size}, 'c');
    }
}
