package org.nas4j.estimators.engine.ops;

import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the survivors are scaled
 * by {@code 1 / (1 - rate)}; in inference the input passes through. Masks come from the layer's own generator,
 * seeded at construction, so a run is reproducible and no global random state is touched.
 */
public final class Dropout implements Layer {

    private final double rate;
    private final SplittableRandom rng;
    private final MaskedProduct product = new MaskedProduct();
    private final Buffer mask = new Buffer();
    private double[] maskValues = new double[0];
    private boolean active;

    /**
     * Creates the layer.
     *
     * @param rate probability of zeroing an element, in [0, 1)
     * @param seed seed of the mask generator
     */
    public Dropout(double rate, long seed) {
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
        INDArray m = mask.like(x);
        int n = Math.toIntExact(x.length());
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
