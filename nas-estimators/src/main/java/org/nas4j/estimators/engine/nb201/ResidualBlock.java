package org.nas4j.estimators.engine.nb201;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nas4j.estimators.engine.ops.DartsOps;
import org.nas4j.estimators.engine.ops.Pool2d;
import org.nas4j.estimators.engine.ops.Sequential;
import org.nas4j.estimators.engine.ops.Sum;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NAS-Bench-201's reduction between stages, a ResNet basic block with stride 2:
 * {@code ReLU-Conv3x3(s2)-BN -> ReLU-Conv3x3-BN}, plus a shortcut {@code AvgPool2x2(s2) -> Conv1x1}.
 */
final class ResidualBlock implements Layer {

    private final Layer main;
    private final Layer shortcut;
    private final Sum sum = new Sum();
    private final Sum gradientSum = new Sum();
    private final ArrayPool pool;

    /** @param pool where the branches' gradient buffers go once the block's input gradient is summed */
    ResidualBlock(ParameterSet params, String name, int in, int out, ArrayPool pool) {
        this.pool = pool;
        this.main = new Sequential(
                DartsOps.reluConvBn(params, name + ".a", in, out, 3, 2, true),
                DartsOps.reluConvBn(params, name + ".b", out, out, 3, 1, true));
        this.shortcut = new Sequential(Pool2d.average(2, 2, 0, true),
                Conv2d.builder(params, name + ".shortcut", in, out, 1).build());
        // empty buffers: makes every buffer take its arrays from the pool from the first pass on
        releaseActivations();
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        return sum.forward(List.of(main.forward(x, mode), shortcut.forward(x, mode)));
    }

    @Override
    public INDArray backward(INDArray gy) {
        // as in Nb201Cell: makes the branches' gradient buffers take their arrays from the pool
        main.releaseGradientBuffers(pool);
        shortcut.releaseGradientBuffers(pool);
        INDArray gx = gradientSum.forward(List.of(main.backward(gy), shortcut.backward(gy)));
        // the branches' gradients are dead now that their sum (the sum's own buffer) is computed
        main.releaseGradientBuffers(pool);
        shortcut.releaseGradientBuffers(pool);
        // and so are the block's activations, its output included (the next layer's backward is done)
        releaseActivations();
        return gx;
    }

    private void releaseActivations() {
        main.releaseBuffers(pool);
        shortcut.releaseBuffers(pool);
        sum.releaseBuffers(pool);
    }
}
