package org.nas4j.estimators.engine.optim;

import java.util.Optional;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as PyTorch's
 * {@code SGD} (no dampening): {@code g += wd * p; buf = mu * buf + g; d = nesterov ? g + mu * buf : buf;
 * p -= lr * d}. Runs over contiguous ranges of the parameters that have a gradient.
 *
 * <pre>{@code
 * Optimizer sgd = Sgd.builder(params, LearningRateSchedule.cosine(0.025, totalSteps, 0.001))
 *         .momentum(0.9).weightDecay(3e-4).build();
 * }</pre>
 */
public final class Sgd implements Optimizer {

    private final ParameterSet params;
    private final LearningRateSchedule schedule;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final INDArray velocity;
    private final Segments segments;
    private long steps;

    private Sgd(Builder b) {
        this.params = b.params;
        this.schedule = b.schedule;
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
        this.velocity = momentum > 0 ? MemoryScope.track(Nd4j.zeros(params.dataType(), params.values().length()))
                : null;
        this.segments = new Segments(params);
    }

    /**
     * Starts an SGD optimizer.
     *
     * @param params   a sealed parameter set
     * @param schedule the learning rate per step
     * @return a builder with no momentum and no weight decay
     */
    public static Builder builder(ParameterSet params, LearningRateSchedule schedule) {
        return new Builder(params, schedule);
    }

    @Override
    public void step() {
        double lr = schedule.rate(steps);
        Level1 blas = Nd4j.getBlasWrapper().level1();
        for (Segments.Segment s : segments.withGradient(i -> 0)) {
            INDArray grad = segments.view(params.gradients(), s);
            INDArray value = segments.view(params.values(), s);
            if (weightDecay != 0) {
                blas.axpy(s.length(), weightDecay, value, grad);
            }
            INDArray direction = grad;
            if (velocity != null) {
                INDArray buf = segments.view(velocity, s);
                buf.muli(momentum).addi(grad);
                if (nesterov) {
                    blas.axpy(s.length(), momentum, buf, grad);
                } else {
                    direction = buf;
                }
            }
            blas.axpy(s.length(), -lr, direction, value);
        }
        segments.clearMarks();
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The parameters this optimizer updates. */
    public ParameterSet parameters() {
        return params;
    }

    /** The momentum factor; 0 for plain SGD. */
    public double momentum() {
        return momentum;
    }

    /** Whether the momentum is Nesterov's. */
    public boolean nesterov() {
        return nesterov;
    }

    /** The L2 weight decay added to the gradient. */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * The momentum buffer ({@code buf} above), parallel to the flat value buffer of {@link #parameters()}: zero
     * before the first step and for a parameter that has never had a gradient. This is the optimizer's own array,
     * for reading (DARTS' unrolled step reads it); writing into it changes the next steps. Empty when the momentum
     * is 0.
     */
    public Optional<INDArray> momentumBuffer() {
        return Optional.ofNullable(velocity);
    }

    @Override
    public double learningRate() {
        return schedule.rate(steps);
    }

    /** A copy of the optimizer's state, for checkpoints: the momentum buffer (empty without momentum) and the step count. */
    public State state() {
        return new State(velocity == null ? new double[0] : velocity.toDoubleVector(), steps);
    }

    /**
     * Restores a state taken by {@link #state()} from an optimizer over a parameter set of the same layout.
     *
     * @param state the saved state
     */
    public void restore(State state) {
        long expected = velocity == null ? 0 : velocity.length();
        if (state.velocity().length != expected) {
            throw new IllegalArgumentException("state must hold a momentum buffer of " + expected + " values, but"
                    + " held " + state.velocity().length);
        }
        if (velocity != null) {
            velocity.assign(Nd4j.createFromArray(state.velocity()).castTo(velocity.dataType()));
        }
        steps = state.steps();
    }

    /**
     * The state of an {@link Sgd}.
     *
     * @param velocity the momentum buffer over the flat parameter buffer (empty without momentum)
     * @param steps    steps taken
     */
    public record State(double[] velocity, long steps) {
    }

    /** Builder of {@link Sgd}; each setter validates its argument at once. */
    public static final class Builder {
        private final ParameterSet params;
        private final LearningRateSchedule schedule;
        private double momentum;
        private boolean nesterov;
        private double weightDecay;

        private Builder(ParameterSet params, LearningRateSchedule schedule) {
            OptimizerArguments.requireSealed(params, schedule);
            this.params = params;
            this.schedule = schedule;
        }

        /** Momentum factor in [0, 1); default 0 (plain SGD). */
        public Builder momentum(double momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), but was " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /** Whether to use Nesterov momentum (needs momentum > 0); default false. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** L2 weight decay added to the gradient, >= 0; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = OptimizerArguments.weightDecay(weightDecay);
            return this;
        }

        /** Returns the optimizer. */
        public Sgd build() {
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("nesterov needs momentum > 0, but momentum was 0");
            }
            return new Sgd(this);
        }
    }
}
