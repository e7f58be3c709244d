package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization over the channels of NCHW images, as PyTorch's {@code BatchNorm2d}.
 *
 * <p>Training mode normalizes with the batch mean and biased variance and updates the running statistics with
 * {@code running = (1 - momentum) * running + momentum * batch} (unbiased variance, PyTorch's convention);
 * inference mode normalizes with the running statistics. With {@code affine} the layer learns a scale (gamma,
 * initially 1) and a shift (beta, initially 0); without, it has no parameters (as DARTS' search-time BN).
 *
 * <p>Per-channel sums are matrix products against ones vectors ({@link ChannelSums}); the normalization is a
 * per-channel scale and shift, {@code y = x * scale + shift}, applied by two out-of-place broadcast ops. The
 * backward pass computes {@code gx = k1 * gy + a * x + b} with per-channel {@code k1, a, b}, in four passes.
 */
public final class BatchNorm implements Layer {

    private final int channels;
    private final double momentum;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    // per-channel [1, C] vectors of the last forward pass, and scratch vectors
    private final INDArray mean;
    private final INDArray invStd;
    private final INDArray scale;
    private final INDArray shift;
    private final INDArray scratch;
    private final INDArray sumGrad;
    private final INDArray sumGradX;
    private final INDArray gradGamma;
    private final INDArray coefA;
    private final INDArray coefB;
    private final ChannelSums sums = new ChannelSums();
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp subtract = NativeOp.named("subtract");
    private final Buffer output = new Buffer();
    private final Buffer work = new Buffer();
    private final Buffer gradInput = new Buffer();
    private INDArray input;
    private Mode lastMode;

    /**
     * Creates a batch-norm layer with PyTorch's defaults (momentum 0.1, epsilon 1e-5).
     *
     * @param params   where gamma and beta are declared (if affine); also gives the data type
     * @param name     prefix of the parameter names
     * @param channels number of channels
     * @param affine   whether to learn a scale and a shift
     */
    public BatchNorm(ParameterSet params, String name, int channels, boolean affine) {
        this(params, name, channels, affine, 0.1, 1e-5);
    }

    /**
     * Creates a batch-norm layer.
     *
     * @param params   where gamma and beta are declared (if affine); also gives the data type
     * @param name     prefix of the parameter names
     * @param channels number of channels
     * @param affine   whether to learn a scale and a shift
     * @param momentum weight of the batch statistics in the running ones, in [0, 1]
     * @param epsilon  added to the variance, > 0
     */
    public BatchNorm(ParameterSet params, String name, int channels, boolean affine, double momentum,
            double epsilon) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, but was " + channels);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], but was " + momentum);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, but was " + epsilon);
        }
        this.channels = channels;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.gamma = affine ? params.add(name + ".gamma", new long[] {channels}, Initializer.constant(1)) : null;
        this.beta = affine ? params.add(name + ".beta", new long[] {channels}, Initializer.constant(0)) : null;
        DataType type = params.dataType();
        this.runningMean = Nd4j.zeros(type, 1, channels);
        this.runningVar = Nd4j.ones(type, 1, channels);
        this.mean = Nd4j.zeros(type, 1, channels);
        this.invStd = Nd4j.zeros(type, 1, channels);
        this.scale = Nd4j.zeros(type, 1, channels);
        this.shift = Nd4j.zeros(type, 1, channels);
        this.scratch = Nd4j.zeros(type, 1, channels);
        this.sumGrad = Nd4j.zeros(type, 1, channels);
        this.sumGradX = Nd4j.zeros(type, 1, channels);
        this.gradGamma = Nd4j.zeros(type, 1, channels);
        this.coefA = Nd4j.zeros(type, 1, channels);
        this.coefB = Nd4j.zeros(type, 1, channels);
    }

    /** The running mean, {@code [1, C]} (live: updated by training passes). */
    public INDArray runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, {@code [1, C]} (live: updated by training passes). */
    public INDArray runningVariance() {
        return runningVar;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        if (x.rank() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("input must be [batch, " + channels + ", H, W], but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        lastMode = mode;
        INDArray tmp = work.like(x);
        if (mode == Mode.TRAINING) {
            long n = x.size(0) * x.size(2) * x.size(3);
            if (n < 2) {
                throw new IllegalArgumentException("training needs more than one value per channel, but input was "
                        + java.util.Arrays.toString(x.shape()));
            }
            sums.sum(x, mean);
            mean.divi(n);
            subtract.exec(tmp, x, ChannelSums.broadcastable(mean));
            tmp.muli(tmp);
            INDArray variance = invStd;
            sums.sum(tmp, variance);
            variance.divi(n);
            updateRunning(variance, n);
        } else {
            mean.assign(runningMean);
            invStd.assign(runningVar);
        }
        invStd.addi(epsilon);
        Transforms.sqrt(invStd, false);
        invStd.rdivi(1.0);
        scale.assign(invStd);
        if (gamma != null) {
            scale.muli(row(gamma.value()));
        }
        shift.assign(mean).muli(scale).negi();
        if (beta != null) {
            shift.addi(row(beta.value()));
        }
        INDArray y = output.like(x);
        multiply.exec(tmp, x, ChannelSums.broadcastable(scale));
        add.exec(y, tmp, ChannelSums.broadcastable(shift));
        return y;
    }

    private void updateRunning(INDArray batchVariance, long n) {
        runningMean.muli(1 - momentum);
        scratch.assign(mean).muli(momentum);
        runningMean.addi(scratch);
        runningVar.muli(1 - momentum);
        scratch.assign(batchVariance).muli(momentum * n / (n - 1.0));
        runningVar.addi(scratch);
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray x = input;
        INDArray tmp = work.like(x);
        INDArray gx = gradInput.like(x);
        long n = x.size(0) * x.size(2) * x.size(3);
        sums.sum(gy, sumGrad);
        multiply.exec(tmp, gy, x);
        sums.sum(tmp, sumGradX);
        // d loss / d gamma = sum(gy * xhat) = invStd * (sum(gy * x) - mean * sum(gy))
        gradGamma.assign(mean).muli(sumGrad).negi().addi(sumGradX).muli(invStd);
        if (gamma != null) {
            row(gamma.gradient()).assign(gradGamma);
            row(beta.gradient()).assign(sumGrad);
            gamma.markGradient();
            beta.markGradient();
        }
        if (lastMode == Mode.TRAINING) {
            // gx = scale * gy + a * x + b, a = -scale * invStd * gradGamma / n, b = -scale * sum(gy) / n - a * mean
            coefA.assign(scale).muli(invStd).muli(gradGamma).muli(-1.0 / n);
            coefB.assign(scale).muli(sumGrad).muli(-1.0 / n);
            scratch.assign(coefA).muli(mean);
            coefB.subi(scratch);
            multiply.exec(tmp, x, ChannelSums.broadcastable(coefA));
            add.exec(gx, tmp, ChannelSums.broadcastable(coefB));
            multiply.exec(tmp, gy, ChannelSums.broadcastable(scale));
            gx.addi(tmp);
        } else {
            multiply.exec(gx, gy, ChannelSums.broadcastable(scale));
        }
        return gx;
    }

    private static INDArray row(INDArray perChannel) {
        return perChannel.reshape(1, perChannel.length());
    }
}
