package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A cell edge some of whose ops start with a ReLU of their input, built without it: the {@link GraphCell} computes
 * the ReLU of each node once per pass for all the edges that read it, as the reference NAS-Bench-201 supernet's
 * memory profile assumes (one ReLU activation per node, not one per ReLU-conv-BN op). The cell sums the gradients
 * that these edges return with respect to {@code ReLU(x)} and runs one ReLU backward on the sum; that is exact,
 * since the ReLU derivative is a 0/1 mask ({@code mask * sum(g) = sum(mask * g)}).
 */
interface ReluReader extends Module {

    /** Whether the current pass runs an op that reads {@code ReLU(x)}. */
    boolean needsReluInput();

    /**
     * The edge's output.
     *
     * @param x     the node's value
     * @param reluX {@code ReLU(x)}, or null when {@link #needsReluInput()} is false
     */
    INDArray forward(INDArray x, INDArray reluX, Mode mode);

    /**
     * After {@link #backward}: the gradient with respect to {@code ReLU(x)}, or null if no op reading it got one.
     * {@code backward} itself returns the gradient with respect to {@code x} of the other ops, or null if none ran.
     */
    INDArray reluGradient();
}
