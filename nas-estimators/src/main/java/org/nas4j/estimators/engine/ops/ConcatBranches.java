package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Two branches that read the same input, their outputs concatenated along the channels:
 * {@code concat(first(x), second(x))} (the stride-2 ShuffleNetV2 block, SPOS' {@code branch_proj} and
 * {@code branch_main}). The branches must agree in batch, height and width. The backward pass gives each branch its
 * channels of the gradient and sums the two input gradients.
 *
 * <pre>{@code
 * Layer reduce = new ConcatBranches(projection, mainBranch);
 * }</pre>
 */
public final class ConcatBranches implements Layer {

    private final Layer first;
    private final Layer second;
    private final Concat concat = new Concat();
    private final Buffer gradInput = new Buffer();
    private final NativeOp add = NativeOp.named("add");

    /**
     * The pair.
     *
     * @param first  the branch whose channels come first
     * @param second the branch whose channels follow
     */
    public ConcatBranches(Layer first, Layer second) {
        this.first = java.util.Objects.requireNonNull(first, "first");
        this.second = java.util.Objects.requireNonNull(second, "second");
        if (first == second) {
            throw new IllegalArgumentException("first and second must be two layers (a layer keeps the state of one"
                    + " place in a network), but were the same");
        }
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray a = first.forward(x, mode);
        INDArray b = second.forward(x, mode);
        if (a.rank() != b.rank() || a.size(0) != b.size(0) || a.rank() == 4 && (a.size(2) != b.size(2)
                || a.size(3) != b.size(3))) {
            throw new IllegalArgumentException("the branches must agree in all dimensions but the channels, but gave "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        return concat.forward(List.of(a, b));
    }

    @Override
    public INDArray backward(INDArray gy) {
        List<INDArray> g = concat.backward(gy);
        INDArray ga = first.backward(g.get(0));
        INDArray gb = second.backward(g.get(1));
        INDArray gx = gradInput.like(ga);
        // one pass, where assign-then-add took two
        add.exec(gx, ga, gb);
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        first.releaseBuffers(pool);
        second.releaseBuffers(pool);
        concat.releaseBuffers(pool);
        gradInput.release(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        first.releaseGradientBuffers(pool);
        second.releaseGradientBuffers(pool);
        gradInput.release(pool);
    }
}
