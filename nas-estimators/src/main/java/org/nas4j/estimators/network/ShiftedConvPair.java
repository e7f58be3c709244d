package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Concat;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two paths of a factorized reduction (DARTS' {@code FactorizedReduce}, ENAS' {@code _factorized_reduction}):
 * a 1x1 stride-2 convolution of {@code x} and one of {@code x[:, :, 1:, 1:]}, each to {@code half} channels,
 * concatenated along channels. Needs even height and width.
 *
 * <p>The shifted path reads the pixels its stride-2 convolution samples, {@code x[:, :, 1::2, 1::2]}, into a
 * quarter-size buffer and convolves it at stride 1 (the same sums): the crop of the reference is never copied, and
 * its gradient is added into that strided view of the first path's input gradient, which is this module's input
 * gradient (the first convolution's own buffer, which nobody else reads). The export keeps the reference's form:
 * {@link GraphSink#cropTopLeft} then a 1x1 stride-2 convolution.
 */
final class ShiftedConvPair implements Module {

    private final String concatName;
    private final String shiftName;
    private final String firstName;
    private final String secondName;
    private final GraphSink.ConvSpec spec;
    private final ParameterSet params;
    private final Conv2d first;
    private final Conv2d second;
    private final Concat concat = new Concat();
    private final Buffer sampled = new Buffer();

    /**
     * Declares the two convolutions' weights in {@code params}, {@code firstName.weight} then
     * {@code secondName.weight}, each {@code [half, in, 1, 1]}.
     *
     * @param concatName name of the concatenation (export)
     * @param shiftName  name of the crop of the shifted path (export)
     * @param in         input channels, >= 1
     * @param half       output channels of each path, >= 1
     */
    ShiftedConvPair(ParameterSet params, String firstName, String secondName, String shiftName, String concatName,
            int in, int half) {
        if (in < 1 || half < 1) {
            throw new IllegalArgumentException("in and half must be >= 1, but were in=" + in + ", half=" + half);
        }
        this.params = params;
        this.firstName = firstName;
        this.secondName = secondName;
        this.shiftName = shiftName;
        this.concatName = concatName;
        this.spec = new GraphSink.ConvSpec(in, half, 1, 2, 0, 1, 1);
        this.first = Conv2d.builder(params, firstName, in, half, 1).stride(2).build();
        this.second = Conv2d.builder(params, secondName, in, half, 1).build();
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(2) % 2 != 0 || x.size(3) % 2 != 0) {
            throw new IllegalArgumentException("input must be [batch, C, H, W] with even H and W, but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        INDArray a = first.forward(x, mode);
        INDArray s = sampled.get(x.dataType(), x.size(0), x.size(1), x.size(2) / 2, x.size(3) / 2);
        s.assign(shiftedSamples(x));
        INDArray b = second.forward(s, mode);
        return concat.forward(List.of(a, b));
    }

    @Override
    public INDArray backward(INDArray gy) {
        List<INDArray> parts = concat.backward(gy);
        INDArray gx = first.backward(parts.get(0));
        shiftedSamples(gx).addi(second.backward(parts.get(1)));
        return gx;
    }

    /** {@code x[:, :, 1::2, 1::2]}: the pixels a 1x1 stride-2 convolution of {@code x[:, :, 1:, 1:]} reads. */
    private static INDArray shiftedSamples(INDArray x) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, x.size(2)),
                NDArrayIndex.interval(1, 2, x.size(3)));
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        first.releaseBuffers(pool);
        second.releaseBuffers(pool);
        concat.releaseBuffers(pool);
        sampled.release(pool);
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        // the returned gradient is the first convolution's; the second's was added into it
        first.releaseGradientBuffers(pool);
        second.releaseGradientBuffers(pool);
    }

    @Override
    public String export(GraphSink sink, String in) {
        String a = sink.conv2d(firstName, in, spec, Modules.find(params, firstName + ".weight").value());
        String shifted = sink.cropTopLeft(shiftName, in);
        String b = sink.conv2d(secondName, shifted, spec, Modules.find(params, secondName + ".weight").value());
        return sink.concat(concatName, List.of(a, b));
    }
}
