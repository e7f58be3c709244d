package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A candidate op of a supernet edge under {@link WeightSharing#CONDITIONAL}: one copy of the op per candidate of the
 * previous op-choice edge, and each pass runs the copy of the candidate that the pass's path takes there. So only
 * that copy's weights compute the output and get a gradient (the others are not run, as candidates off the path).
 * Not thread-safe.
 */
final class ConditionalCandidate implements Module {

    private final String place;
    private final int previousEdge;
    private final Layer[] copies;
    private final PathPolicy path;
    private final ArrayPool pool;
    private final double[] split;
    private int active = -1;

    /**
     * @param place        the op's name in the network, for messages
     * @param previousEdge the policy edge whose candidate selects the copy
     * @param copies       one copy per candidate of {@code previousEdge}, by candidate index
     * @param path         the policy the supernet's edges follow
     * @param pool         where the buffers of the copies a pass does not run go
     * @param split        {1}: each pass runs the copy the previous edge selects; {0}: the first copy (shared)
     */
    ConditionalCandidate(String place, int previousEdge, Layer[] copies, PathPolicy path, ArrayPool pool,
            double[] split) {
        this.split = split;
        this.place = place;
        this.previousEdge = previousEdge;
        this.copies = copies.clone();
        this.path = path;
        this.pool = pool;
    }

    /** The number of copies (the candidates of the previous edge). */
    int copies() {
        return copies.length;
    }

    /** The copy the current pass runs: the candidate the previous edge takes in it (the first while shared). */
    int selected() {
        if (split[0] == 0) {
            return 0;
        }
        EdgePath previous = path.path(previousEdge);
        if (!previous.isSingleUnitWeight()) {
            throw new IllegalStateException("conditional weights of " + place + " follow the op of edge "
                    + previousEdge + ", which needs one op per pass, but the policy gave " + previous);
        }
        return previous.op(0);
    }

    @Override
    public INDArray forward(INDArray input, Mode mode) {
        int copy = selected();
        for (int c = 0; c < copies.length; c++) {
            if (c != copy) {
                copies[c].releaseBuffers(pool);
            }
        }
        active = copy;
        return copies[copy].forward(input, mode);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (active < 0) {
            throw new IllegalStateException("backward of " + place + " before any forward pass");
        }
        return copies[active].backward(gradOutput);
    }

    @Override
    public void releaseBuffers(ArrayPool to) {
        for (Layer c : copies) {
            c.releaseBuffers(to);
        }
    }

    @Override
    public void releaseGradientBuffers(ArrayPool to) {
        for (Layer c : copies) {
            c.releaseGradientBuffers(to);
        }
    }

    @Override
    public void releaseOutput(ArrayPool to) {
        if (active >= 0) {
            copies[active].releaseOutput(to);
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and"
                + " compile it with SpaceCompiler");
    }
}
