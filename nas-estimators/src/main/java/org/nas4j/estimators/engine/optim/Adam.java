package org.nas4j.estimators.engine.optim;

import java.util.List;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam, with libnd4j's {@code adam_updater} run once per contiguous range of parameters that have a gradient
 * (one call over the whole flat buffer when every parameter has one).
 *
 * <p>Each parameter counts its own updates for the bias correction, as PyTorch does, so a parameter skipped by a
 * single-path step is corrected for the steps it really took. The update is
 * {@code lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)} (the Adam paper's efficient form; PyTorch adds
 * eps after the bias correction, a difference of order eps). Optional L2 weight decay adds
 * {@code weightDecay * value} to the gradient first (PyTorch's {@code Adam(weight_decay=...)}).
 *
 * <pre>{@code
 * Optimizer adam = Adam.builder(params, LearningRateSchedule.constant(1e-3)).weightDecay(3e-4).build();
 * }</pre>
 */
public final class Adam implements Optimizer {

    private final ParameterSet params;
    private final LearningRateSchedule schedule;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final INDArray m;
    private final INDArray v;
    private final INDArray update;
    private final long[] updates;
    private final Segments segments;
    private final NativeOp adam = NativeOp.named("adam_updater");
    private long steps;

    private Adam(Builder b) {
        this.params = b.params;
        this.schedule = b.schedule;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
        INDArray values = params.values();
        this.m = MemoryScope.track(Nd4j.zeros(values.dataType(), values.length()));
        this.v = MemoryScope.track(Nd4j.zeros(values.dataType(), values.length()));
        this.update = MemoryScope.track(Nd4j.zeros(values.dataType(), values.length()));
        this.updates = new long[params.parameters().size()];
        this.segments = new Segments(params);
    }

    /**
     * Starts an Adam optimizer.
     *
     * @param params   a sealed parameter set
     * @param schedule the learning rate per step
     * @return a builder with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay
     */
    public static Builder builder(ParameterSet params, LearningRateSchedule schedule) {
        return new Builder(params, schedule);
    }

    @Override
    public void step() {
        double lr = schedule.rate(steps);
        List<Segments.Segment> ranges = segments.withGradient(i -> updates[i]);
        for (Segments.Segment s : ranges) {
            INDArray grad = segments.view(params.gradients(), s);
            INDArray value = segments.view(params.values(), s);
            if (weightDecay != 0) {
                Nd4j.getBlasWrapper().level1().axpy(s.length(), weightDecay, value, grad);
            }
            INDArray sv = segments.view(v, s);
            INDArray sm = segments.view(m, s);
            INDArray su = segments.view(update, s);
            adam.floatArgs(lr, beta1, beta2, epsilon).intArgs(s.key());
            adam.exec(new INDArray[] {su, sv, sm}, grad, sv, sm);
            value.subi(su);
            for (int i : s.members()) {
                updates[i]++;
            }
        }
        segments.clearMarks();
        steps++;
    }

    /**
     * A copy of the optimizer's state, for checkpoints: both moments, each parameter's update count and the step
     * count.
     */
    public State state() {
        return new State(m.toDoubleVector(), v.toDoubleVector(), updates.clone(), steps);
    }

    /**
     * Restores a state taken by {@link #state()} from an optimizer over a parameter set of the same layout.
     *
     * @param state the saved state
     */
    public void restore(State state) {
        if (state.firstMoment().length != m.length() || state.secondMoment().length != v.length()
                || state.updates().length != updates.length) {
            throw new IllegalArgumentException("state must be for " + m.length() + " values in " + updates.length
                    + " parameters, but was for " + state.firstMoment().length + " values in "
                    + state.updates().length + " parameters");
        }
        m.assign(Nd4j.createFromArray(state.firstMoment()).castTo(m.dataType()));
        v.assign(Nd4j.createFromArray(state.secondMoment()).castTo(v.dataType()));
        System.arraycopy(state.updates(), 0, updates, 0, updates.length);
        steps = state.steps();
    }

    /**
     * The state of an {@link Adam}: first and second moments over the flat buffer, the number of updates of each
     * parameter, and the number of steps.
     *
     * @param firstMoment  m, one value per parameter value
     * @param secondMoment v, likewise
     * @param updates      updates per parameter (the bias-correction step of each)
     * @param steps        steps taken
     */
    public record State(double[] firstMoment, double[] secondMoment, long[] updates, long steps) {
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public double learningRate() {
        return schedule.rate(steps);
    }

    /** Builder of {@link Adam}; each setter validates its argument at once. */
    public static final class Builder {
        private final ParameterSet params;
        private final LearningRateSchedule schedule;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay;

        private Builder(ParameterSet params, LearningRateSchedule schedule) {
            OptimizerArguments.requireSealed(params, schedule);
            this.params = params;
            this.schedule = schedule;
        }

        /** Decay of the first moment, in [0, 1); default 0.9. */
        public Builder beta1(double beta1) {
            this.beta1 = unitInterval("beta1", beta1);
            return this;
        }

        /** Decay of the second moment, in [0, 1); default 0.999. */
        public Builder beta2(double beta2) {
            this.beta2 = unitInterval("beta2", beta2);
            return this;
        }

        /** Added to the root of the second moment, > 0; default 1e-8. */
        public Builder epsilon(double epsilon) {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("epsilon must be > 0, but was " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /** L2 weight decay added to the gradient, >= 0; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = OptimizerArguments.weightDecay(weightDecay);
            return this;
        }

        /** Allocates the moment buffers and returns the optimizer. */
        public Adam build() {
            return new Adam(this);
        }

        private static double unitInterval(String name, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), but was " + value);
            }
            return value;
        }
    }
}
