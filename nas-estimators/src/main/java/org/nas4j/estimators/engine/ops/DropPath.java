package org.nas4j.estimators.engine.ops;

import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Drop-path (stochastic depth, as in DARTS' evaluation networks): in training the whole input of a sample is zeroed
 * with probability {@code rate} and the kept samples are scaled by {@code 1 / (1 - rate)}; one mask value per
 * sample, broadcast over the other dimensions. In inference the input passes through. Masks come from the layer's
 * own seeded generator.
 */
public final class DropPath implements Layer {

    private final double rate;
    private final SplittableRandom rng;
    private final MaskedProduct product = new MaskedProduct();
    private final Buffer mask = new Buffer();
    private double[] maskValues = new double[0];
    private boolean active;

    /**
     * Creates the layer.
     *
     * @param rate probability of dropping a sample's path, in [0, 1)
     * @param seed seed of the mask generator
     */
    public DropPath(double rate, long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), but was " + rate);
        }
        this.rate = rate;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        active = mode == Mode.TRAINING && rate > 0;
        if (!active) {
            return x;
        }
        long[] shape = new long[x.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = x.size(0);
        INDArray m = mask.get(x.dataType(), shape);
        int n = Math.toIntExact(shape[0]);
        if (maskValues.length != n) {
            maskValues = new double[n];
        }
        double keep = 1.0 / (1.0 - rate);
        for (int i = 0; i < n; i++) {
            maskValues[i] = rng.nextDouble() < rate ? 0.0 : keep;
        }
        m.data().setData(maskValues);
        return product.forward(x, m);
    }

    @Override
    public INDArray backward(INDArray gy) {
        return active ? product.backward(gy) : gy;
    }
}
