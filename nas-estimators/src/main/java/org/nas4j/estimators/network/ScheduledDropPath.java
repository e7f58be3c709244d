package org.nas4j.estimators.network;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.Dropout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Drop-path after one op, reading its probability from a shared {@link DropPathRate} at every forward pass (the
 * engine's {@link Dropout#perSample(java.util.function.DoubleSupplier, long)}): in training with {@code p > 0}, each
 * sample's whole output is zeroed with probability {@code p} and otherwise scaled by {@code 1 / (1 - p)} (the
 * reference's {@code drop_path}); in inference, or with {@code p = 0}, the input passes through untouched and draws
 * nothing from the generator. The export is the identity.
 */
final class ScheduledDropPath implements Module {

    private final Module op;
    private final Dropout dropPath;

    /** Wraps {@code op}; masks come from a generator seeded with {@code seed}. */
    ScheduledDropPath(Module op, DropPathRate rate, long seed) {
        this.op = op;
        this.dropPath = Dropout.perSample(rate::get, seed);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        return dropPath.forward(op.forward(x, mode), mode);
    }

    @Override
    public INDArray backward(INDArray gy) {
        return op.backward(dropPath.backward(gy));
    }

    @Override
    public String export(GraphSink sink, String input) {
        return op.export(sink, input);
    }
}
