package org.nas4j.estimators.network;

import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Drop-path after one op, reading its probability from a shared {@link DropPathRate} at every forward pass (the
 * engine's {@code DropPath} has a fixed rate): in training with {@code p > 0}, each sample's whole output is zeroed
 * with probability {@code p} and otherwise scaled by {@code 1 / (1 - p)} (the reference's {@code drop_path}); in
 * inference, or with {@code p = 0}, the input passes through untouched and draws nothing from the generator. The
 * export is the identity.
 */
final class ScheduledDropPath implements Module {

    private final Module op;
    private final DropPathRate rate;
    private final SplittableRandom rng;
    private final NativeOp multiply = NativeOp.named("multiply");
    private final Buffer mask = new Buffer();
    private final Buffer output = new Buffer();
    private final Buffer gradInput = new Buffer();
    private double[] maskValues = new double[0];
    private INDArray lastMask;

    /** Wraps {@code op}; masks come from a generator seeded with {@code seed}. */
    ScheduledDropPath(Module op, DropPathRate rate, long seed) {
        this.op = op;
        this.rate = rate;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        INDArray h = op.forward(x, mode);
        double p = rate.get();
        if (mode != Mode.TRAINING || p == 0) {
            lastMask = null;
            return h;
        }
        int n = Math.toIntExact(h.size(0));
        long[] shape = new long[h.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = n;
        INDArray m = mask.get(h.dataType(), shape);
        if (maskValues.length != n) {
            maskValues = new double[n];
        }
        double keep = 1.0 / (1.0 - p);
        for (int i = 0; i < n; i++) {
            maskValues[i] = rng.nextDouble() < p ? 0.0 : keep;
        }
        m.data().setData(maskValues);
        lastMask = m;
        INDArray y = output.like(h);
        multiply.exec(y, h, m);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        if (lastMask == null) {
            return op.backward(gy);
        }
        INDArray g = gradInput.like(gy);
        multiply.exec(g, gy, lastMask);
        return op.backward(g);
    }

    @Override
    public String export(GraphSink sink, String input) {
        return op.export(sink, input);
    }
}
