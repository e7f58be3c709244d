package org.nas4j.estimators.language;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The architecture gradient of second-order DARTS on the recurrent cell (the DARTS code's {@code rnn/architect.py},
 * {@code Architect._backward_step_unrolled} with {@code --unrolled}), written into the architecture weights'
 * gradient for the caller's optimizer step. With the weights {@code w}, the architecture weights {@code a} and the
 * learning rate {@code eta} of the coming weight step:
 *
 * <ol>
 *   <li>one step on the training segment from its carried state: {@code w' = w - eta (clip(g) + wd w)}, where
 *       {@code g} is the gradient of the training cross-entropy (no slowness term: the reference's {@code _loss})
 *       and {@code clip} the weight step's gradient-norm clipping;</li>
 *   <li>the validation segment at {@code w'} from its carried state: its loss, the state it ends in (the
 *       reference carries the unrolled model's {@code hidden_next}), {@code dL/da} and {@code dL/dw'};</li>
 *   <li>{@code v = clip(dL/dw') + wd w'} and {@code R = r / ||v||} with {@code r = 1e-2} (the reference's
 *       {@code _hessian_vector_product}), then the training segment again at {@code w' + R v} and {@code w' - R v}:
 *       {@code dL_train/da} at each;</li>
 *   <li>the gradient {@code dL_val/da - eta (dL_train/da(+) - dL_train/da(-)) / (2 R + 1e-10)}.</li>
 * </ol>
 *
 * <p>As the reference (whose finite difference runs on the unrolled model), the Hessian-vector product is taken
 * around {@code w'}, not {@code w} (DARTS' image architect, {@code cnn/architect.py}, takes it around {@code w}); and
 * the clipping and the {@code wd w'} term of {@code v} are the reference's. Where the reference draws new dropout
 * masks at each of its four passes, every pass of one training segment here uses the same masks
 * ({@link Segment#forward} reseeds them), so that the difference quotient is one function's; the batch norm's
 * running statistics are left as they were (the reference runs these passes on a copy of the model). The weights end
 * as they started.
 *
 * <p>Not thread-safe: it drives the model it was given.
 */
final class UnrolledRecurrentStep {

    /** The reference's {@code r} in {@code R = r / ||v||} ({@code rnn/architect.py}). */
    static final double REFERENCE_RADIUS = 1e-2;

    /** One segment's forward pass of the model: its carried state and its dropout masks set, then the cross-entropy. */
    @FunctionalInterface
    interface Segment {
        /** Runs the forward pass (cross-entropy alone, training mode) and returns its loss. */
        double forward();
    }

    /** What a step found: the validation loss at {@code w'} and the state that segment ended in. */
    record Outcome(double validationLoss, INDArray validationState) {
    }

    /** Where the Hessian-vector product is taken. */
    enum HessianPoint {
        /** Around the unrolled weights {@code w'}, as {@code rnn/architect.py}. */
        UNROLLED,
        /**
         * Around the current weights {@code w}: the derivative of {@code L_val(w'(a), a)} (up to the difference
         * quotient), for the finite-difference test.
         */
        CURRENT
    }

    private final RecurrentLanguageModel lm;
    private final ParameterSet params;
    private final Parameter alpha;
    private final double clip;
    private final double weightDecay;
    private final double radius;
    private final HessianPoint point;

    /**
     * @param lm          the model (its weights in {@code params}, its cell reading {@code alpha})
     * @param params      the network's weights
     * @param alpha       the architecture weights
     * @param clip        gradient-norm clipping of both weight gradients, {@code > 0}, or 0 for none
     * @param weightDecay {@code wd}, {@code >= 0}
     * @param radius      {@code r}, {@code > 0}
     * @param point       where the Hessian-vector product is taken
     */
    UnrolledRecurrentStep(RecurrentLanguageModel lm, ParameterSet params, Parameter alpha, double clip,
            double weightDecay, double radius, HessianPoint point) {
        if (!(radius > 0 && radius < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("radius must be finite and > 0, but was " + radius);
        }
        this.lm = lm;
        this.params = params;
        this.alpha = alpha;
        this.clip = clip;
        this.weightDecay = weightDecay;
        this.radius = radius;
        this.point = point;
    }

    /**
     * Writes the second-order architecture gradient into {@code alpha}'s gradient (and marks it).
     *
     * @param train      the training segment (run three times)
     * @param validation the validation segment (run once, at {@code w'})
     * @param batch      the validation segment's columns (for its end state)
     * @param eta        the learning rate of the coming weight step
     * @return the validation loss at {@code w'} and the state that segment ended in
     */
    Outcome computeGradient(Segment train, Segment validation, int batch, double eta) {
        Map<String, INDArray> statistics = runningStatistics();
        Map<String, INDArray> saved = new LinkedHashMap<>();
        statistics.forEach((k, v) -> saved.put(k, v.dup()));
        INDArray w = params.values();
        INDArray start = w.dup();
        try {
            requireFinite(train.forward(), "training loss at w");
            lm.backward();
            clipGradients();
            INDArray step = params.gradients().dup().addi(start.mul(weightDecay)).muli(eta);
            w.subi(step);
            INDArray unrolled = w.dup();

            double validationLoss = validation.forward();
            requireFinite(validationLoss, "validation loss at w'");
            INDArray validationState = lm.state(batch);
            lm.backward();
            INDArray gradient = alpha.gradient().dup();
            clipGradients();
            INDArray v = params.gradients().dup().addi(unrolled.mul(weightDecay));
            double norm = v.norm2Number().doubleValue();
            double r = radius / norm;
            INDArray base = point == HessianPoint.UNROLLED ? unrolled : start;

            w.assign(base).addi(v.mul(r));
            requireFinite(train.forward(), "training loss at w+");
            lm.backward();
            INDArray plus = alpha.gradient().dup();
            w.assign(base).subi(v.mul(r));
            requireFinite(train.forward(), "training loss at w-");
            lm.backward();
            INDArray minus = alpha.gradient();
            // the reference's denominator, 2R + 1e-10
            gradient.subi(plus.subi(minus).muli(eta / (2 * r + 1e-10)));
            alpha.gradient().assign(gradient);
            alpha.markGradient();
            return new Outcome(validationLoss, validationState);
        } finally {
            w.assign(start);
            saved.forEach((k, v) -> statistics.get(k).assign(v));
        }
    }

    private void clipGradients() {
        if (clip > 0) {
            GradientClipping.clipByGlobalNorm(params, clip);
        }
    }

    private Map<String, INDArray> runningStatistics() {
        return lm.cell() instanceof DartsSearchCell c ? c.runningStatistics() : Map.of();
    }

    private static void requireFinite(double loss, String what) {
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("the second-order architecture step's " + what + " was " + loss);
        }
    }
}
