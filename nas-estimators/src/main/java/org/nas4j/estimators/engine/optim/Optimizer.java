package org.nas4j.estimators.engine.optim;

/**
 * Updates parameters from their gradients. One call of {@link #step()} per training step, after the backward pass.
 */
public interface Optimizer {

    /** Updates every parameter that has a gradient, then clears the gradient marks. */
    void step();

    /** Number of steps taken so far (the step index given to the learning-rate schedule). */
    long steps();

    /** The learning rate the next step will use. */
    double learningRate();
}
