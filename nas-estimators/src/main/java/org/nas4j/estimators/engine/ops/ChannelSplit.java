package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ShuffleNetV2's channel split with the concatenation that closes its stride-1 block: of an input
 * {@code [B, C, H, W]}, the first {@code kept} channels pass through and the others go through a branch, and the
 * output is {@code concat(x[:, :kept], branch(x[:, kept:]))} along the channels (SPOS' {@code x_proj} and
 * {@code x}, after its {@link ChannelShuffle}). The branch must keep the height and width; it may change the
 * channels. The backward pass copies the pass-through part of the gradient and back-propagates the rest through the
 * branch. The branch's parameters are its own; the split has none.
 *
 * <pre>{@code
 * Layer block = new Sequential(new ChannelShuffle(2), new ChannelSplit(8, mainBranch));   // 16 channels in
 * }</pre>
 */
public final class ChannelSplit implements Layer {

    private final int kept;
    private final Layer branch;
    private final Buffer branchInput = new Buffer();
    private final Buffer branchGradient = new Buffer();
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private long[] inputShape;

    /**
     * A split.
     *
     * @param kept   channels passed through, >= 1; the input must have more
     * @param branch what the other channels go through; keeps height and width
     */
    public ChannelSplit(int kept, Layer branch) {
        if (kept < 1) {
            throw new IllegalArgumentException("kept must be >= 1, but was " + kept);
        }
        this.kept = kept;
        this.branch = java.util.Objects.requireNonNull(branch, "branch");
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(1) <= kept) {
            throw new IllegalArgumentException("input of a channel split that keeps " + kept + " channels must be"
                    + " [B, C > " + kept + ", H, W], but was " + Arrays.toString(x.shape()));
        }
        inputShape = x.shape().clone();
        long c = inputShape[1];
        INDArray in = branchInput.get(x.dataType(), inputShape[0], c - kept, inputShape[2], inputShape[3]);
        ChannelBlocks.copy(x, kept, in, 0, c - kept);
        INDArray b = branch.forward(in, mode);
        if (b.rank() != 4 || b.size(0) != inputShape[0] || b.size(2) != inputShape[2]
                || b.size(3) != inputShape[3]) {
            throw new IllegalArgumentException("the branch of a channel split must keep batch, height and width "
                    + Arrays.toString(in.shape()) + ", but gave " + Arrays.toString(b.shape()));
        }
        INDArray y = output.get(x.dataType(), inputShape[0], kept + b.size(1), inputShape[2], inputShape[3]);
        ChannelBlocks.copy(x, 0, y, 0, kept);
        ChannelBlocks.copy(b, 0, y, kept, b.size(1));
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        long c = inputShape[1];
        INDArray gb = branchGradient.get(gy.dataType(), gy.size(0), gy.size(1) - kept, gy.size(2), gy.size(3));
        ChannelBlocks.copy(gy, kept, gb, 0, gy.size(1) - kept);
        INDArray gBranchInput = branch.backward(gb);
        INDArray gx = gradInput.get(gy.dataType(), inputShape);
        ChannelBlocks.copy(gy, 0, gx, 0, kept);
        ChannelBlocks.copy(gBranchInput, 0, gx, kept, c - kept);
        return gx;
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        branch.releaseBuffers(pool);
        branchInput.release(pool);
        branchGradient.release(pool);
        output.release(pool);
        gradInput.release(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        branch.releaseGradientBuffers(pool);
        branchGradient.release(pool);
        gradInput.release(pool);
    }

    /** The output is this split's own buffer, which the backward pass does not read. */
    @Override
    public void releaseOutput(ArrayPool pool) {
        output.release(pool);
    }
}
