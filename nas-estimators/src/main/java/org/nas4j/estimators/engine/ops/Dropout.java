package org.nas4j.estimators.engine.ops;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the survivors are scaled
 * by {@code 1 / (1 - rate)}; in inference the input passes through. Masks come from the layer's own generator,
 * seeded at construction, so a run is reproducible and no global random state is touched.
 *
 * <p>With {@link #dropInInference(boolean) dropInInference(true)} (ENAS' micro search child, whose reference drops
 * in every pass) inference passes drop too, with masks from a second generator of the layer's own, split at
 * construction from a generator seeded with the same seed: the training masks are those of a layer without the
 * option, and the inference masks do not depend on how many training passes ran, only on the inference passes
 * before them.
 *
 * <p>{@link #perSample} is drop-path (stochastic depth, as in DARTS' evaluation networks): one mask value per sample,
 * broadcast over the other dimensions, so the whole input of a sample is zeroed with probability {@code rate}.
 */
public final class Dropout implements Layer {

    private final DoubleSupplier rate;
    private final boolean perSample;
    private final SplittableRandom rng;
    private final SplittableRandom inferenceRng;
    private final MaskedProduct product = new MaskedProduct();
    private final Buffer mask = new Buffer();
    private double[] maskValues = new double[0];
    private boolean active;
    private boolean dropInInference;

    /**
     * Creates the layer.
     *
     * @param rate probability of zeroing an element, in [0, 1)
     * @param seed seed of the mask generator
     */
    public Dropout(double rate, long seed) {
        this(checkRate(rate), false, seed);
    }

    private Dropout(DoubleSupplier rate, boolean perSample, long seed) {
        this.rate = rate;
        this.perSample = perSample;
        this.rng = new SplittableRandom(seed);
        this.inferenceRng = new SplittableRandom(seed).split();
    }

    private static DoubleSupplier checkRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in [0, 1), but was " + rate);
        }
        return () -> rate;
    }

    /**
     * Drop-path: a layer that zeroes the whole input of a sample with probability {@code rate}.
     *
     * @param rate probability of dropping a sample's path, in [0, 1)
     * @param seed seed of the mask generator
     * @return the layer
     */
    public static Dropout perSample(double rate, long seed) {
        return new Dropout(checkRate(rate), true, seed);
    }

    /**
     * Drop-path whose rate is read from {@code rate} at every training forward pass (a schedule, such as DARTS'
     * rate growing linearly over the epochs); with rate 0 the input passes through and nothing is drawn.
     *
     * @param rate the current probability of dropping a sample's path, each value in [0, 1)
     * @param seed seed of the mask generator
     * @return the layer
     */
    public static Dropout perSample(DoubleSupplier rate, long seed) {
        return new Dropout(java.util.Objects.requireNonNull(rate, "rate"), true, seed);
    }

    /**
     * Whether inference passes drop too, with the masks of the layer's inference generator (see the class comment).
     * Off by default: inference is the identity.
     */
    public void dropInInference(boolean yes) {
        this.dropInInference = yes;
    }

    /** Whether inference passes drop too ({@link #dropInInference(boolean)}). */
    public boolean dropInInference() {
        return dropInInference;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        boolean training = mode == Mode.TRAINING;
        double p = training || dropInInference ? rate.getAsDouble() : 0;
        if (!(p >= 0 && p < 1)) {
            throw new IllegalStateException("the dropout rate must be in [0, 1), but was " + p);
        }
        active = p > 0;
        if (!active) {
            return x;
        }
        INDArray m;
        if (perSample) {
            long[] shape = new long[x.rank()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = x.size(0);
            m = mask.get(x.dataType(), shape);
        } else {
            m = mask.like(x);
        }
        int n = Math.toIntExact(m.length());
        if (maskValues.length != n) {
            maskValues = new double[n];
        }
        double keep = 1.0 / (1.0 - p);
        SplittableRandom r = training ? rng : inferenceRng;
        for (int i = 0; i < n; i++) {
            maskValues[i] = r.nextDouble() < p ? 0.0 : keep;
        }
        m.data().setData(maskValues);
        return product.forward(x, m);
    }

    @Override
    public INDArray backward(INDArray gy) {
        return active ? product.backward(gy) : gy;
    }
}
