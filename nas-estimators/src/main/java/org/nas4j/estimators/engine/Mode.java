package org.nas4j.estimators.engine;

/** Whether a forward pass trains (batch statistics, dropout on) or infers (running statistics, dropout off). */
public enum Mode {
    /** Training: batch norm uses batch statistics and updates its running ones; dropout and drop-path are active. */
    TRAINING,
    /** Inference: batch norm uses its running statistics; dropout and drop-path pass their input through. */
    INFERENCE
}
