package org.nas4j.examples;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Optimizer;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.estimators.oneshot.UnrolledArchitectureStep;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one search step on the DARTS search network (the DARTS paper's CIFAR-10 search model:
 * {@link ComposedSupernet} of {@link DartsDefinition#cifar} with {@link ModuleCatalogue#dartsSearch()}, every node
 * relaxed as DARTS does), the counterpart of the PyTorch peer benchmark {@code shared/bench/torch_darts_search.py}: same network,
 * same modes, same options, same output lines.
 * <ul>
 *   <li>{@code darts1}: first-order DARTS, an architecture step (Adam 3e-4, betas 0.5/0.999, weight decay 1e-3)
 *       on a validation batch, then a weight step (SGD 0.025, momentum 0.9, weight decay 3e-4, gradients clipped
 *       to norm 5) on a training batch;</li>
 *   <li>{@code darts2}: second-order DARTS, the architecture gradient through one unrolled weight step
 *       ({@link UnrolledArchitectureStep}: xi = the weight learning rate 0.025, the SGD's momentum buffer and weight
 *       decay, the finite-difference Hessian-vector product with r = 0.01; four forward and backward passes), the
 *       same Adam step, then the same weight step;</li>
 *   <li>{@code gdas}: GDAS (tau 10), a weight step then an architecture step, each on its own Gumbel draw, each
 *       computing only the drawn op per edge;</li>
 *   <li>{@code single}: one uniformly drawn op per edge (shared by the cells of one type), weight step only
 *       (SPOS, random search with weight sharing).</li>
 * </ul>
 * Inputs are uniform random {@code [B, 3, 32, 32]} batches, labels {@code arange(B) % 10} (training) and
 * {@code (arange(B) + 3) % 10} (validation).
 *
 * <p>Usage: {@code DartsSearchStepBenchmark MODE [--batch 64] [--channels 16] [--layers 8] [--steps 5]
 * [--warmup 2] [--threads N]}; native threads as a user gets them
 * ({@link NativeThreads}: {@code OMP_NUM_THREADS} if set, else {@code --threads}, else every core). Prints
 * {@code RESULT nas4j_darts_<mode>_step median=<ms> min=<ms> max=<ms> n=<steps>} and {@code PEAK_RSS_MIB <n>}.
 */
public final class DartsSearchStepBenchmark {

    private static final List<String> MODES = List.of("darts1", "darts2", "gdas", "single");

    private DartsSearchStepBenchmark() {
    }

    /** Runs the benchmark; see the class documentation for the arguments. */
    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.of("--batch", "64", "--channels", "16", "--layers", "8",
                "--steps", "5", "--warmup", "2", "--threads", "0"));
        String mode = a.mode(MODES);
        int batch = Arguments.positiveInt("--batch", a.get("--batch"));
        int channels = Arguments.positiveInt("--channels", a.get("--channels"));
        int layers = Arguments.positiveInt("--layers", a.get("--layers"));
        int steps = Arguments.positiveInt("--steps", a.get("--steps"));
        int warmup = Integer.parseInt(a.get("--warmup"));
        OptionalInt threads = a.threads();

        NativeThreads.Choice choice = BenchmarkBackend.prepareAndDescribe(threads);

        PathPolicy.Factory policy = switch (mode) {
            case "darts1", "darts2" -> PathPolicies.mixed();
            case "gdas" -> PathPolicies.gdas(0, step -> 10.0);
            default -> PathPolicies.singlePath(0);
        };
        Supernet net = ComposedSupernet.compile(DartsDefinition.cifar(DartsSpace.darts(), channels, layers, false)
                .build(), policy, ModuleCatalogue.dartsSearch(), DataType.FLOAT, 0);
        Sgd weightStep = Sgd.builder(net.weights(), LearningRateSchedule.constant(0.025)).momentum(0.9)
                .weightDecay(3e-4).build();
        Optimizer archStep = net.architectureParameters().parameters().isEmpty() ? null
                : Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(3e-4)).beta1(0.5)
                        .beta2(0.999).weightDecay(1e-3).build();
        INDArray trainImages = images(batch, 1);
        INDArray validImages = images(batch, 2);
        INDArray trainLabels = labels(batch, 0);
        INDArray validLabels = labels(batch, 3);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        UnrolledArchitectureStep unrolled = mode.equals("darts2")
                ? UnrolledArchitectureStep.builder(net, weightStep).build() : null;

        StepTimes times = StepTimes.measure(warmup, steps, () -> switch (mode) {
            case "darts1" -> {
                architectureStep(net, loss, archStep, validImages, validLabels);
                yield weightStep(net, loss, weightStep, trainImages, trainLabels);
            }
            case "darts2" -> {
                unrolled.computeGradient(trainImages, trainLabels, validImages, validLabels);
                archStep.step();
                yield weightStep(net, loss, weightStep, trainImages, trainLabels);
            }
            case "gdas" -> {
                double value = weightStep(net, loss, weightStep, trainImages, trainLabels);
                architectureStep(net, loss, archStep, validImages, validLabels);
                yield value;
            }
            default -> weightStep(net, loss, weightStep, trainImages, trainLabels);
        });
        times.print("nas4j_darts_" + mode + "_step", net.weights().size());
    }

    private static double weightStep(Supernet net, SoftmaxCrossEntropy loss, Optimizer optimizer,
            INDArray images, INDArray labels) {
        double value = loss.forward(net.forward(images, Mode.TRAINING), labels);
        net.backward(loss.backward());
        GradientClipping.clipByGlobalNorm(net.weights(), 5.0);
        optimizer.step();
        net.architectureParameters().parameters().forEach(Parameter::clearGradient);
        return value;
    }

    private static void architectureStep(Supernet net, SoftmaxCrossEntropy loss, Optimizer optimizer,
            INDArray images, INDArray labels) {
        loss.forward(net.forward(images, Mode.TRAINING), labels);
        net.backward(loss.backward());
        optimizer.step();
        net.weights().parameters().forEach(Parameter::clearGradient);
    }

    private static INDArray images(int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pixels = new float[batch * 3 * 32 * 32];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(pixels, new long[] {batch, 3, 32, 32}, 'c');
    }

    private static INDArray labels(int batch, int shift) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = (i + shift) % 10;
        }
        return SoftmaxCrossEntropy.oneHot(y, 10, DataType.FLOAT);
    }
}
