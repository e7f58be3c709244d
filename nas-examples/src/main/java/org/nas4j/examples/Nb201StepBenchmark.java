package org.nas4j.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.nas4j.core.space.builder.ComposedForm;
import org.nas4j.estimators.backend.NativeAllocator;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one training step (forward, backward, Adam update) of the NAS-Bench-201 supernet (the
 * {@link ComposedSupernet} of the space's composed form, {@code NasBench201Definition}), the same network and
 * modes as the PyTorch peer benchmark {@code shared/bench/torch_nb201_supernet.py}:
 * <ul>
 *   <li>{@code mixed}: every edge the softmax(alpha)-weighted sum of all five ops; weights and alphas updated
 *       together (first-order DARTS);</li>
 *   <li>{@code single}: one uniformly drawn op per edge and step;</li>
 *   <li>{@code fixed}: the supernet run along one architecture ({@code --arch}).</li>
 * </ul>
 * Input is uniform random {@code [B, 3, 32, 32]}, labels {@code arange(B) % 10}, Adam with lr 1e-3.
 *
 * <p>Usage: {@code Nb201StepBenchmark MODE [--batch 64] [--channels 16] [--cells 5] [--steps 20] [--warmup 5]
 * [--arch STR] [--threads N]}; native threads as a user gets them ({@link NativeThreads}: {@code OMP_NUM_THREADS}
 * if set, else {@code --threads}, else every core). Prints {@code RESULT nas4j_nb201_<mode>_step median=<ms> min=<ms> max=<ms> n=<steps>} and
 * {@code PEAK_RSS_MIB <n>}.
 */
public final class Nb201StepBenchmark {

    private static final String DEFAULT_ARCH =
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";

    private Nb201StepBenchmark() {
    }

    /** Runs the benchmark; see the class documentation for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || !List.of("mixed", "single", "fixed").contains(args[0])) {
            throw new IllegalArgumentException("first argument must be the mode mixed|single|fixed, but was "
                    + (args.length == 0 ? "missing" : "'" + args[0] + "'"));
        }
        String mode = args[0];
        int batch = 64;
        int channels = 16;
        int cells = 5;
        int steps = 20;
        int warmup = 5;
        String arch = DEFAULT_ARCH;
        OptionalInt threads = OptionalInt.empty();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(v);
                case "--channels" -> channels = Integer.parseInt(v);
                case "--cells" -> cells = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--arch" -> arch = v;
                case "--threads" -> threads = OptionalInt.of(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --batch --channels --cells --steps --warmup --arch --threads");
            }
        }
        NativeThreads.Choice choice = BenchmarkBackend.prepare(threads);
        System.out.println("nd4j backend " + Nd4j.getBackend().getClass().getSimpleName() + ", native binary from "
                + nativeBinary() + ", " + choice + ", native allocator: " + NativeAllocator.tune());

        NasBench201Space space = NasBench201Space.builder().channels(channels).cellsPerStage(cells).build();
        ComposedForm form = space.composedForm().orElseThrow();
        PathPolicy.Factory policy = switch (mode) {
            case "mixed" -> PathPolicies.mixed();
            case "single" -> PathPolicies.singlePath(0);
            default -> null;
        };
        ComposedSupernet net = policy == null
                ? ComposedSupernet.restrictedTo(form.toComposed(space.parse(arch)), ModuleCatalogue.standard(),
                        DataType.FLOAT, 0)
                : ComposedSupernet.compile(form.space(), policy, ModuleCatalogue.standard(), DataType.FLOAT, 0);
        // weights and architecture weights step together, with the same settings (first-order DARTS)
        Optimizer adam = Adam.builder(net.weights(), LearningRateSchedule.constant(1e-3)).build();
        Optimizer alphaAdam = net.architectureParameters().parameters().isEmpty() ? null
                : Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(1e-3)).build();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(0);
        float[] pixels = new float[batch * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        INDArray x = Nd4j.create(pixels, new long[] {batch, 3, 32, 32}, 'c');
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % 10;
        }
        INDArray labels = SoftmaxCrossEntropy.oneHot(y, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        StepTimes times = StepTimes.measure(warmup, steps, () -> {
            double value = loss.forward(net.forward(x, Mode.TRAINING), labels);
            net.backward(loss.backward());
            adam.step();
            if (alphaAdam != null) {
                alphaAdam.step();
            }
            return value;
        });
        times.print("nas4j_nb201_" + mode + "_step", net.weights().size() + net.architectureParameters().size());
    }

    private static String nativeBinary() throws IOException {
        // JavaCPP loads libnd4jcpu.so from the nd4j-native jar whose classifier names the binary (e.g. onednn-avx2)
        List<String> jars = new ArrayList<>();
        var urls = Nb201StepBenchmark.class.getClassLoader().getResources("org/nd4j/linalg/cpu/nativecpu/bindings/");
        while (urls.hasMoreElements()) {
            String url = urls.nextElement().toString();
            String jar = url.replaceAll("^jar:.*/([^/!]+)!.*$", "$1");
            if (jar.contains("linux")) {
                jars.add(jar);
            }
        }
        return jars.isEmpty() ? "(no nd4j-native binary jar found)" : String.join(", ", jars);
    }
}
