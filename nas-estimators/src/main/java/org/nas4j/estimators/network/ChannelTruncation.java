package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keeps the first {@code channels} channels of NCHW images ({@code x[:, :channels]}): NAS-Bench-101's
 * {@code truncate}, which joins a vertex to a successor with fewer channels. The backward pass puts the gradient
 * in the kept channels and zeros in the dropped ones.
 *
 * <pre>{@code
 * Module t = new ChannelTruncation("cell0.v3.from1", 21);   // 22 channels in, 21 out
 * }</pre>
 */
public final class ChannelTruncation implements Module {

    private final String name;
    private final int channels;
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray input;

    /**
     * A truncation.
     *
     * @param name     the vertex name in exports
     * @param channels channels kept, at least 1
     */
    public ChannelTruncation(String name, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, but was " + channels);
        }
        this.name = name;
        this.channels = channels;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(1) < channels) {
            throw new IllegalArgumentException("input of truncation '" + name + "' must be [B, C >= " + channels
                    + ", H, W], but was " + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = output.get(x.dataType(), x.size(0), channels, x.size(2), x.size(3));
        y.assign(kept(x));
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray gx = gradInput.like(input);
        kept(gx).assign(gy);
        if (input.size(1) > channels) {
            gx.get(NDArrayIndex.all(), NDArrayIndex.interval(channels, input.size(1)), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(0);
        }
        return gx;
    }

    private INDArray kept(INDArray x) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels), NDArrayIndex.all(), NDArrayIndex.all());
    }

    @Override
    public String export(GraphSink sink, String in) {
        return sink.truncateChannels(name, in, channels);
    }
}
