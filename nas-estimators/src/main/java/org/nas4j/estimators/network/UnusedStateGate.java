package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The projection of one state of a supernet cell that outputs its unused states projected
 * ({@code CellOutput.PROJECT_UNUSED_STATES}; ENAS' micro search child, melodyguan/enas
 * {@code src/cifar10/micro_child.py}, {@code _enas_layer}: {@code used}, {@code indices}, {@code final_conv}): the
 * state's own ReLU-1x1 convolution runs when no node of the cell reads the state on the pass's path, and the gate
 * gives zeros without computing when one does, so the cell's output sums the projections of exactly the unused
 * states, each with its own weights (the reference's rows of {@code final_conv}'s weight, gathered for the unused
 * states). The path must give every input choice of the cell one state per pass (single-path policies: ENAS,
 * SPOS, a fixed path): an input choice weighted over several states leaves "unused" undefined.
 */
final class UnusedStateGate implements Module {

    private final String cell;
    private final int state;
    private final int[] inputEdges;
    private final int[][] reads;
    private final Layer op;
    private final PathPolicy policy;
    private final int outChannels;
    private INDArray input;
    private boolean open;

    /**
     * @param cell        the cell step's name (for messages)
     * @param state       the state it projects
     * @param inputEdges  per node input of the cell, the policy edge of its input choice, or -1 for a fixed input
     * @param reads       per node input, the state each option of its input choice reads ({@code {from}} when
     *                    fixed)
     * @param op          the state's projection
     * @param outChannels the projection's output channels
     */
    UnusedStateGate(String cell, int state, int[] inputEdges, int[][] reads, Layer op, PathPolicy policy,
            int outChannels) {
        this.cell = cell;
        this.state = state;
        this.inputEdges = inputEdges.clone();
        this.reads = reads.clone();
        this.op = op;
        this.policy = policy;
        this.outChannels = outChannels;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        input = x;
        open = !readOnPath();
        if (!open) {
            return Buffer.sharedZeros(x.dataType(), x.size(0), outChannels, x.size(2), x.size(3));
        }
        return op.forward(x, mode);
    }

    /** Whether a node of the cell reads this state on the path of the pass. */
    private boolean readOnPath() {
        for (int i = 0; i < inputEdges.length; i++) {
            int read;
            if (inputEdges[i] < 0) {
                read = reads[i][0];
            } else {
                EdgePath path = policy.path(inputEdges[i]);
                if (!path.isSingleUnitWeight()) {
                    throw new IllegalStateException("cell step '" + cell + "' projects the states no node reads,"
                            + " which needs one state per input choice and pass, but the policy gave " + path
                            + " for policy edge " + inputEdges[i] + ": use a single-path policy (singlePath, fixed)");
                }
                read = reads[i][path.op(0)];
            }
            if (read == state) {
                return true;
            }
        }
        return false;
    }

    @Override
    public INDArray backward(INDArray gy) {
        return open ? op.backward(gy) : Buffer.sharedZeros(input.dataType(), input.shape());
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        op.releaseBuffers(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        if (open) {
            op.releaseGradientBuffers(pool);
        }
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        if (open) {
            op.releaseOutput(pool);
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and compile"
                + " it with SpaceCompiler");
    }
}
