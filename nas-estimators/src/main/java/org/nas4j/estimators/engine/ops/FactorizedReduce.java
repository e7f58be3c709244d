package org.nas4j.estimators.engine.ops;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DARTS' factorized reduce: halves height and width and maps {@code in} to {@code out} channels with ReLU, two
 * 1x1 stride-2 convolutions (the second on the input shifted by one pixel, so together they see every pixel),
 * channel concatenation of their {@code out/2} outputs, and batch norm. Needs even height and width.
 */
public final class FactorizedReduce implements Layer {

    private final Relu relu = new Relu();
    private final Conv2d first;
    private final Conv2d second;
    private final Concat concat = new Concat();
    private final BatchNorm norm;
    private final Buffer shifted = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray input;

    /**
     * Creates the op.
     *
     * @param params      where the parameters are declared
     * @param name        prefix of the parameter names
     * @param inChannels  input channels
     * @param outChannels output channels, even
     * @param affine      whether the batch norm learns a scale and a shift
     */
    public FactorizedReduce(ParameterSet params, String name, int inChannels, int outChannels, boolean affine) {
        if (outChannels < 2 || outChannels % 2 != 0) {
            throw new IllegalArgumentException("outChannels must be even and >= 2, but was " + outChannels);
        }
        this.first = Conv2d.builder(params, name + ".conv1", inChannels, outChannels / 2, 1).stride(2).build();
        this.second = Conv2d.builder(params, name + ".conv2", inChannels, outChannels / 2, 1).stride(2).build();
        this.norm = new BatchNorm(params, name + ".bn", outChannels, affine);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(2) % 2 != 0 || x.size(3) % 2 != 0) {
            throw new IllegalArgumentException("input must be [batch, C, H, W] with even H and W, but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray h = relu.forward(x, mode);
        INDArray s = shifted.get(x.dataType(), x.size(0), x.size(1), x.size(2) - 1, x.size(3) - 1);
        s.assign(shiftedView(h));
        INDArray a = first.forward(h, mode);
        INDArray b = second.forward(s, mode);
        return norm.forward(concat.forward(List.of(a, b)), mode);
    }

    @Override
    public INDArray backward(INDArray gy) {
        List<INDArray> g = concat.backward(norm.backward(gy));
        INDArray gh = gradInput.like(input);
        gh.assign(first.backward(g.get(0)));
        shiftedView(gh).addi(second.backward(g.get(1)));
        return relu.backward(gh);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        relu.releaseBuffers(pool);
        first.releaseBuffers(pool);
        second.releaseBuffers(pool);
        norm.releaseBuffers(pool);
        shifted.release(pool);
        gradInput.release(pool);
    }

    private static INDArray shiftedView(INDArray x) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, x.size(2)),
                NDArrayIndex.interval(1, x.size(3)));
    }
}
