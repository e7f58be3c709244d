package org.nas4j.estimators.oneshot;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The architecture gradient of second-order DARTS (Liu, Simonyan &amp; Yang, ICLR 2019, eq. 7-8; the reference
 * code's {@code Architect._backward_step_unrolled}): the gradient of the validation loss after one unrolled step of
 * the weight optimizer,
 * <pre>
 *   w'     = w - xi * (momentum * buf + dL_train(w, alpha)/dw + weightDecay * w)
 *   dalpha = dL_val(w', alpha)/dalpha - xi * (dL_train(w+, alpha)/dalpha - dL_train(w-, alpha)/dalpha) / (2 R)
 *   w+-    = w +- R * v,   v = dL_val(w', alpha)/dw',   R = r / ||v||
 * </pre>
 * with {@code xi} the weight optimizer's current learning rate, {@code buf} its momentum buffer and
 * {@code r = 0.01} (the reference's {@code r}; the norm is over all weights). The second term is a central finite
 * difference for the Hessian-vector product {@code d2 L_train / dalpha dw * v}.
 *
 * <p>{@link #computeGradient} runs four forward and backward passes (training batch at {@code w}, validation batch
 * at {@code w'}, training batch at {@code w+} and at {@code w-}), all in training mode as the reference does. It
 * writes {@code dalpha} into the gradients of the architecture parameters (marked, for the architecture optimizer's
 * step) and leaves the weights, their gradients and gradient marks and the optimizer's momentum buffer exactly as
 * they were. As in the reference:
 * <ul>
 *   <li>no gradient is clipped: {@code dL_train/dw} in {@code w'} and the result are taken as they are (the
 *       weight step that follows clips its own gradient);</li>
 *   <li>batch-norm running statistics (those registered with {@code supernet.weights().states()}) see the passes at
 *       {@code w}, {@code w+} and {@code w-}, which the reference runs on its model, and not the pass at {@code w'},
 *       which it runs on a copy that it then drops: they are saved before that pass and restored after it;</li>
 *   <li>a weight that a pass leaves without a gradient counts as gradient 0 (the reference's missing momentum
 *       buffer is zero too);</li>
 *   <li>if {@code v = 0} the Hessian term is 0 and its two passes are skipped (the reference divides by 0).</li>
 * </ul>
 * Under a sampling policy (GDAS, path dropout) every pass draws its own paths; DARTS uses {@code PathPolicies.mixed()}.
 *
 * <p>Memory: besides the supernet's own buffers the step keeps a copy of the weights and one of their gradients
 * (to restore both exactly), three vectors of the architecture weights' size and a copy of the running statistics,
 * all allocated once and reused by every step; it never copies the network. The pass at {@code w-} is made from
 * the one at {@code w+} ({@code w- = 2w - w+}), so {@code v} needs no copy of its own.
 *
 * <pre>{@code
 * Sgd w = Sgd.builder(net.weights(), LearningRateSchedule.cosine(0.025, totalSteps, 0.001))
 *         .momentum(0.9).weightDecay(3e-4).build();
 * Adam a = Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(3e-4))
 *         .beta1(0.5).beta2(0.999).weightDecay(1e-3).build();
 * UnrolledArchitectureStep unrolled = UnrolledArchitectureStep.builder(net, w).build();
 * for (each step) {
 *     unrolled.computeGradient(trainImages, trainLabels, validImages, validLabels);
 *     a.step();                                   // alpha only
 *     ... weight step on the training batch: forward, backward, clip to 5, w.step() ...
 * }
 * }</pre>
 * Not thread-safe; one instance per supernet.
 */
public final class UnrolledArchitectureStep {

    private final Supernet supernet;
    private final Sgd weightOptimizer;
    private final double perturbation;
    private final ParameterSet weights;
    private final ParameterSet architecture;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final INDArray savedValues;
    private final INDArray savedGradients;
    private final boolean[] savedMarks;
    private final boolean[] architectureMarks;
    private final INDArray validGradient;
    private final INDArray plusGradient;
    private double[][] savedStatistics = new double[0][];

    private UnrolledArchitectureStep(Builder b) {
        this.supernet = b.supernet;
        this.weightOptimizer = b.weightOptimizer;
        this.perturbation = b.perturbation;
        this.weights = supernet.weights();
        this.architecture = supernet.architectureParameters();
        long n = weights.values().length();
        long m = architecture.values().length();
        this.savedValues = MemoryScope.track(Nd4j.zeros(weights.dataType(), n));
        this.savedGradients = MemoryScope.track(Nd4j.zeros(weights.dataType(), n));
        this.savedMarks = new boolean[weights.parameters().size()];
        this.architectureMarks = new boolean[architecture.parameters().size()];
        this.validGradient = MemoryScope.track(Nd4j.zeros(architecture.dataType(), m));
        this.plusGradient = MemoryScope.track(Nd4j.zeros(architecture.dataType(), m));
    }

    /**
     * Starts a step for {@code supernet} whose weights {@code weightOptimizer} trains.
     *
     * @param supernet        a supernet with architecture weights (a learned path policy)
     * @param weightOptimizer the SGD over {@code supernet.weights()}, without Nesterov momentum: its learning rate,
     *                        momentum buffer and weight decay make the unrolled step
     * @return a builder with the reference's {@code r = 0.01}
     */
    public static Builder builder(Supernet supernet, Sgd weightOptimizer) {
        return new Builder(supernet, weightOptimizer);
    }

    /** The norm {@code r} of the weight perturbation {@code R * v} of the finite difference. */
    public double perturbation() {
        return perturbation;
    }

    /**
     * Computes {@code dalpha} (class documentation) and writes it into the gradients of
     * {@code supernet.architectureParameters()}, marked; the weights and everything the weight optimizer reads are
     * left as they were.
     *
     * @param trainImages a training batch, in the supernet's data type
     * @param trainLabels its one-hot labels {@code [B, classes]}
     * @param validImages a validation batch, in the supernet's data type
     * @param validLabels its one-hot labels
     * @return the validation loss at {@code w'} (the reference's {@code unrolled_loss})
     */
    public double computeGradient(INDArray trainImages, INDArray trainLabels, INDArray validImages,
            INDArray validLabels) {
        requireBatch("trainImages", trainImages, "trainLabels", trainLabels);
        requireBatch("validImages", validImages, "validLabels", validLabels);
        INDArray values = weights.values();
        INDArray gradients = weights.gradients();
        long n = values.length();
        Level1 blas = Nd4j.getBlasWrapper().level1();
        double xi = weightOptimizer.learningRate();
        savedValues.assign(values);
        savedGradients.assign(gradients);
        List<Parameter> weightList = weights.parameters();
        for (int i = 0; i < savedMarks.length; i++) {
            savedMarks[i] = weightList.get(i).hasGradient();
        }

        // w' = w - xi * (momentum * buf + dL_train(w)/dw + weightDecay * w), written over the weights
        pass(trainImages, trainLabels);
        blas.axpy(n, -xi, gradients, values);
        if (weightOptimizer.weightDecay() != 0) {
            blas.axpy(n, -xi * weightOptimizer.weightDecay(), savedValues, values);
        }
        INDArray buffer = weightOptimizer.momentumBuffer().orElse(null);
        if (buffer != null) {
            blas.axpy(n, -xi * weightOptimizer.momentum(), buffer, values);
        }

        // dL_val(w')/dalpha and v = dL_val(w')/dw'; the reference runs this pass on a copy of its model
        saveStatistics();
        double validLoss = pass(validImages, validLabels);
        restoreStatistics();
        validGradient.assign(architecture.gradients());
        List<Parameter> alphaList = architecture.parameters();
        for (int i = 0; i < architectureMarks.length; i++) {
            architectureMarks[i] = alphaList.get(i).hasGradient();
        }
        double norm = Math.sqrt(blas.dot(n, 1.0, gradients, gradients));

        INDArray result = architecture.gradients();
        if (norm > 0) {
            double radius = perturbation / norm;
            values.assign(savedValues);
            blas.axpy(n, radius, gradients, values);
            pass(trainImages, trainLabels);
            plusGradient.assign(result);
            // w- = 2w - w+: the same point as w - R * v up to one rounding, without a copy of v
            values.muli(-1);
            blas.axpy(n, 2.0, savedValues, values);
            pass(trainImages, trainLabels);
            // dalpha = dL_val(w')/dalpha - xi * (g+ - g-) / (2R), with g- in result
            result.subi(plusGradient).muli(xi / (2 * radius)).addi(validGradient);
        } else {
            result.assign(validGradient);
        }

        values.assign(savedValues);
        gradients.assign(savedGradients);
        for (int i = 0; i < savedMarks.length; i++) {
            if (savedMarks[i]) {
                weightList.get(i).markGradient();
            } else {
                weightList.get(i).clearGradient();
            }
        }
        for (int i = 0; i < architectureMarks.length; i++) {
            if (architectureMarks[i]) {
                alphaList.get(i).markGradient();
            } else {
                alphaList.get(i).clearGradient();
            }
        }
        return validLoss;
    }

    /**
     * One training-mode forward and backward pass over fresh gradient marks; a parameter the pass leaves without a
     * gradient gets gradient 0 (its slot would hold an older pass's values).
     */
    private double pass(INDArray images, INDArray labels) {
        clearMarks(weights);
        clearMarks(architecture);
        double value = loss.forward(supernet.forward(images, Mode.TRAINING), labels);
        supernet.backward(loss.backward());
        zeroUnmarked(weights);
        zeroUnmarked(architecture);
        return value;
    }

    private static void clearMarks(ParameterSet set) {
        for (Parameter p : set.parameters()) {
            p.clearGradient();
        }
    }

    private static void zeroUnmarked(ParameterSet set) {
        for (Parameter p : set.parameters()) {
            if (!p.hasGradient()) {
                p.gradient().assign(0);
            }
        }
    }

    private void saveStatistics() {
        Map<String, double[]> states = weights.states();
        if (savedStatistics.length != states.size()) {
            savedStatistics = new double[states.size()][];
        }
        int i = 0;
        for (double[] state : states.values()) {
            if (savedStatistics[i] == null || savedStatistics[i].length != state.length) {
                savedStatistics[i] = new double[state.length];
            }
            System.arraycopy(state, 0, savedStatistics[i], 0, state.length);
            i++;
        }
    }

    private void restoreStatistics() {
        int i = 0;
        for (double[] state : weights.states().values()) {
            System.arraycopy(savedStatistics[i], 0, state, 0, state.length);
            i++;
        }
    }

    private void requireBatch(String imagesName, INDArray images, String labelsName, INDArray labels) {
        Objects.requireNonNull(images, imagesName);
        Objects.requireNonNull(labels, labelsName);
        if (images.dataType() != weights.dataType()) {
            throw new IllegalArgumentException(imagesName + " must be of the supernet's data type "
                    + weights.dataType() + ", but was " + images.dataType());
        }
        if (labels.rank() != 2 || images.rank() < 1 || labels.size(0) != images.size(0)) {
            throw new IllegalArgumentException(labelsName + " must be [batch, classes] with the batch of "
                    + imagesName + " " + Arrays.toString(images.shape()) + ", but was "
                    + Arrays.toString(labels.shape()));
        }
    }

    /** Builder of {@link UnrolledArchitectureStep}; each setter validates its argument at once. */
    public static final class Builder {
        private final Supernet supernet;
        private final Sgd weightOptimizer;
        private double perturbation = 0.01;

        private Builder(Supernet supernet, Sgd weightOptimizer) {
            Objects.requireNonNull(supernet, "supernet");
            Objects.requireNonNull(weightOptimizer, "weightOptimizer");
            if (supernet.architectureParameters().parameters().isEmpty()) {
                throw new IllegalArgumentException("supernet must have architecture weights (a learned path policy,"
                        + " e.g. PathPolicies.mixed()), but its policy " + supernet.policy().getClass().getSimpleName()
                        + " has none");
            }
            if (weightOptimizer.parameters() != supernet.weights()) {
                throw new IllegalArgumentException("weightOptimizer must update supernet.weights() ("
                        + supernet.weights().size() + " values), but updates another parameter set ("
                        + weightOptimizer.parameters().size() + " values)");
            }
            if (weightOptimizer.nesterov()) {
                throw new IllegalArgumentException("weightOptimizer must use plain momentum, as the unrolled step of"
                        + " the reference (w - xi * (momentum * buf + g)), but nesterov was true");
            }
            this.supernet = supernet;
            this.weightOptimizer = weightOptimizer;
        }

        /**
         * The norm {@code r} of the finite difference's weight perturbation, {@code R = r / ||v||}; finite and
         * &gt; 0; default 0.01 (the reference's {@code r}; the paper's {@code epsilon = 0.01 / ||v||}).
         */
        public Builder perturbation(double r) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("perturbation must be finite and > 0, but was " + r);
            }
            this.perturbation = r;
            return this;
        }

        /** Allocates the step's buffers and returns it. */
        public UnrolledArchitectureStep build() {
            return new UnrolledArchitectureStep(this);
        }
    }
}
