package org.nas4j.estimators.engine.ops;

import java.util.Arrays;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The channel shuffle of Single Path One-Shot's ShuffleNetV2 blocks (megvii-model/ShuffleNet-Series,
 * {@code OneShot/blocks.py}, {@code channel_shuffle}): the input {@code [B, C, H, W]} is read as
 * {@code [B, C / g, g, H * W]} and its two middle axes are swapped, so that output channel {@code j * C / g + i} is
 * input channel {@code g * i + j}. With {@code g = 2} the first half of the output holds the even input channels
 * and the second half the odd ones: the reference's {@code x[0]} and {@code x[1]} of its reshape
 * {@code (B * C / 2, 2, H * W)}, permute {@code (1, 0, 2)}, reshape {@code (2, B, C / 2, H, W)}, side by side. (It
 * is the inverse of ShuffleNet's interleaving shuffle; the two are the same permutation up to which block's
 * boundary it is taken at.) The backward pass applies the inverse permutation to the gradient. No parameters.
 *
 * <pre>{@code
 * Layer shuffle = new ChannelShuffle(2);   // channels 0 1 2 3 4 5 -> 0 2 4 1 3 5
 * }</pre>
 */
public final class ChannelShuffle extends BufferedLayer {

    private final int groups;
    private long[] inputShape;

    /**
     * A shuffle.
     *
     * @param groups the number of groups {@code g}, >= 2 (SPOS: 2); the input's channels must be a multiple of it
     */
    public ChannelShuffle(int groups) {
        if (groups < 2) {
            throw new IllegalArgumentException("groups must be >= 2, but was " + groups);
        }
        this.groups = groups;
    }

    /** The number of groups. */
    public int groups() {
        return groups;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException("input of a channel shuffle of " + groups + " groups must be"
                    + " [B, C, H, W] with C a multiple of " + groups + ", but was " + Arrays.toString(x.shape()));
        }
        inputShape = x.shape().clone();
        INDArray y = output.get(x.dataType(), inputShape);
        shuffle(x, y, groups, false);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.get(gy.dataType(), inputShape);
        shuffle(gy, gx, groups, true);
        return gx;
    }

    /**
     * Writes the channel shuffle of {@code from} into {@code to}, or with {@code inverse} its inverse (the backward
     * pass); the two have the same {@code [B, C, H, W]} shape, {@code C} a multiple of {@code groups}, and
     * {@code to} is {@code 'c'}-ordered and contiguous (its reshapes are views). Shared with the DL4J export.
     */
    public static void shuffle(INDArray from, INDArray to, int groups, boolean inverse) {
        ChannelBlocks.shuffle(from, to, groups, inverse);
    }
}
