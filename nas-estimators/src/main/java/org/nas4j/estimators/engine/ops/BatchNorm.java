package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.RunningStatistics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization over the channels of NCHW images, as PyTorch's {@code BatchNorm2d}.
 *
 * <p>Training mode normalizes with the batch mean and biased variance and updates the running statistics with
 * {@code running = (1 - momentum) * running + momentum * batch} (unbiased variance, PyTorch's convention);
 * inference mode normalizes with the running statistics. With {@code affine} the layer learns a scale (gamma,
 * initially 1) and a shift (beta, initially 0); without, it has no parameters (as DARTS' search-time BN).
 * With {@link #batchStatisticsInInference(boolean) batchStatisticsInInference(true)} inference normalizes with the
 * batch's statistics too and leaves the running ones as they are (ENAS' micro search child, whose BNs never use
 * moving averages); its backward pass is then the training one.
 *
 * <p>For recomputing the statistics ({@link RunningStatistics}): {@link #resetRunningStatistics()} sets them to
 * mean 0, variance 1, and with {@link #averageCumulatively(boolean) averageCumulatively(true)} the {@code k}-th
 * training pass after the reset updates them with weight {@code 1/k} instead of the momentum, so that they are the
 * average of the batches' statistics (PyTorch's {@code momentum=None}).
 *
 * <p>In FLOAT and DOUBLE the passes over the activations run in Java ({@link FloatBatchNorm}, {@link
 * DoubleBatchNorm}: one read of each array per pass where libnd4j took one to four native calls, faster at the
 * mobile chains' shapes, docs/performance.md). Other types: per-channel sums are matrix products against ones
 * vectors ({@link ChannelSums}); the normalization is one pass of libnd4j's {@code batchnorm} op with those
 * statistics. The backward pass computes {@code gx = k1 * gy + a * x + b} with per-channel {@code k1, a, b}: in
 * Java one pass, through libnd4j four (its {@code batchnorm} op with per-channel scale and shift for
 * {@code a * x + b} measured slower than a multiply and an add).
 * The per-channel arithmetic (a few dozen numbers) runs in Java in double precision: cheaper than a native call
 * per vector operation, and more accurate.
 *
 * <p>With a {@link #window(int, int) window} {@code [start, start + count)} (FLOAT and DOUBLE only) the layer
 * normalizes inputs of {@code count} channels with those channels' gamma, beta and running statistics, as the
 * reference's {@code batch_norm_with_mask} does for ENAS' channel ranges: the other channels' running statistics
 * stay as they are, and their gamma and beta gradients are 0.
 *
 * <p>To save one activation-sized buffer per layer, {@link #backward} uses the output buffer as scratch: the last
 * output is overwritten by a backward call (in reverse mode its consumers are done with it by then).
 */
public final class BatchNorm extends BufferedLayer implements RunningStatistics {

    private final int channels;
    private final double momentum;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final double[] runningMean;
    private final double[] runningVar;
    private boolean cumulative;
    private boolean batchStatisticsInInference;
    private long batches;
    // per-channel statistics of the last forward pass
    private double[] mean;
    private double[] invStd;
    private double[] scale;
    // [1, C] device vectors
    private final INDArray sums;
    private final INDArray meanVector;
    private final INDArray varianceVector;
    private final INDArray gammaVector;
    private final INDArray betaVector;
    private final INDArray scaleVector;
    private final INDArray coefA;
    private final INDArray coefB;
    private final ChannelSums channelSums = new ChannelSums();
    private final NativeOp multiply = NativeOp.named("multiply");
    private final NativeOp add = NativeOp.named("add");
    private final NativeOp squaredSubtract = NativeOp.named("squaredsubtract");
    private final NativeOp normalize;
    private INDArray input;
    // whether the last forward pass normalized with its batch's statistics (its backward depends on them then)
    private boolean lastBatchStatistics;
    // the channels the next forward pass normalizes ([start, start + count)), and those the last one did
    private int windowStart;
    private int windowCount;
    private int lastStart;
    private int lastCount;
    // the activation fused after the normalization, and the last forward pass's shift (its mask is recomputed)
    private Activation activation = Activation.NONE;
    private double[] shift;
    private final boolean javaKernels;

    /**
     * An activation a batch norm can apply in its own passes ({@link #fuseActivation}): the identity, ReLU ({@link
     * Relu}) or ReLU6 ({@link Relu6}), with the same values and the same derivative masks ({@code x > 0}; {@code 0 <
     * x <= 6}).
     */
    public enum Activation {
        NONE, RELU, RELU6
    }

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
        this.windowCount = channels;
        this.momentum = momentum;
        this.epsilon = epsilon;
        // libnd4j's batchnorm applies given statistics in one pass: (x - mean) / sqrt(var + eps) * gamma + beta
        this.normalize = NativeOp.named("batchnorm").intArgs(1, 1, 1).floatArgs(epsilon);
        this.gamma = affine ? params.add(name + ".gamma", new long[] {channels}, Initializer.constant(1)) : null;
        this.beta = affine ? params.add(name + ".beta", new long[] {channels}, Initializer.constant(0)) : null;
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1.0);
        params.addState(name + ".running_mean", runningMean);
        params.addState(name + ".running_var", runningVar);
        params.addRunningStatistics(this);
        DataType type = params.dataType();
        this.javaKernels = HostArrays.hasJavaKernels(type);
        this.sums = Nd4j.zeros(type, 1, channels);
        this.meanVector = Nd4j.zeros(type, channels);
        this.varianceVector = Nd4j.zeros(type, channels);
        this.gammaVector = Nd4j.ones(type, channels);
        this.betaVector = Nd4j.zeros(type, channels);
        this.scaleVector = Nd4j.zeros(type, 1, channels);
        this.coefA = Nd4j.zeros(type, 1, channels);
        this.coefB = Nd4j.zeros(type, 1, channels);
    }

    /** A copy of the running mean (updated by every training pass). */
    public double[] runningMean() {
        return runningMean.clone();
    }

    /** A copy of the running (unbiased) variance (updated by every training pass). */
    public double[] runningVariance() {
        return runningVar.clone();
    }

    /**
     * Normalizes, from the next forward pass on, inputs of {@code count} channels as the channels
     * {@code [start, start + count)} of this layer (their gamma, beta and running statistics); {@code window(0,
     * channels)} is the whole layer again (the default). FLOAT and DOUBLE only.
     *
     * @throws IllegalArgumentException for a window outside {@code [0, channels)} or an empty one
     */
    public void window(int start, int count) {
        if (start < 0 || count < 1 || start + count > channels) {
            throw new IllegalArgumentException("window must be non-empty and inside [0, " + channels + "), but was"
                    + " start=" + start + ", count=" + count);
        }
        this.windowStart = start;
        this.windowCount = count;
    }

    /**
     * Applies {@code activation} to this batch norm's output, from the next forward pass on, inside its own passes
     * over the activations (the backward pass masks the output gradient as the activation's layer would): what a
     * ReLU or ReLU6 layer after it computes, without the layer's passes over the activations and its native calls.
     * Only the Java kernels fuse (FLOAT and DOUBLE parameters); others keep the layer.
     *
     * @return whether the activation is fused (else the caller keeps its activation layer)
     */
    public boolean fuseActivation(Activation activation) {
        java.util.Objects.requireNonNull(activation, "activation");
        if (!javaKernels) {
            return false;
        }
        this.activation = activation;
        return true;
    }

    /** The activation fused after the normalization ({@link Activation#NONE} for none). */
    public Activation activation() {
        return activation;
    }

    @Override
    public void resetRunningStatistics() {
        java.util.Arrays.fill(runningMean, 0.0);
        java.util.Arrays.fill(runningVar, 1.0);
        batches = 0;
    }

    @Override
    public void averageCumulatively(boolean cumulative) {
        this.cumulative = cumulative;
    }

    @Override
    public void batchStatisticsInInference(boolean always) {
        this.batchStatisticsInInference = always;
    }

    @Override
    public boolean batchStatisticsInInference() {
        return batchStatisticsInInference;
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        int channels = windowCount;
        int c0 = windowStart;
        if (x.rank() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("input must be [batch, " + channels + ", H, W], but was "
                    + java.util.Arrays.toString(x.shape()));
        }
        boolean inJava = javaKernels(x);
        boolean windowed = channels != this.channels;
        if (windowed && !inJava) {
            throw new IllegalStateException("a batch norm window needs FLOAT or DOUBLE inputs, but was "
                    + x.dataType());
        }
        lastStart = c0;
        lastCount = channels;
        if (inJava) {
            x = HostArrays.dense(x);
        }
        input = x;
        lastBatchStatistics = mode == Mode.TRAINING || batchStatisticsInInference;
        // the output buffer serves as scratch until the normalized values overwrite it
        INDArray tmp = output.like(x);
        double[] variance;
        if (lastBatchStatistics) {
            long n = x.size(0) * x.size(2) * x.size(3);
            if (n < 2) {
                throw new IllegalArgumentException("batch statistics need more than one value per channel, but input"
                        + " was " + java.util.Arrays.toString(x.shape()));
            }
            if (inJava) {
                mean = scaled(channelSumsInJava(x, null), 1.0 / n);
                variance = scaled(channelSumsInJava(x, mean), 1.0 / n);
            } else {
                mean = channelSum(x, 1.0 / n);
                meanVector.data().setData(mean);
                // centred squares in one pass (measured ~10% faster per forward than subtract, then multiply)
                squaredSubtract.exec(tmp, x, ChannelSums.broadcastable(meanVector));
                variance = channelSum(tmp, 1.0 / n);
            }
            if (mode == Mode.TRAINING) {
                batches++;
                double factor = cumulative ? 1.0 / batches : momentum;
                for (int c = 0; c < channels; c++) {
                    runningMean[c0 + c] = (1 - factor) * runningMean[c0 + c] + factor * mean[c];
                    runningVar[c0 + c] = (1 - factor) * runningVar[c0 + c] + factor * variance[c] * n / (n - 1.0);
                }
            }
        } else {
            mean = java.util.Arrays.copyOfRange(runningMean, c0, c0 + channels);
            variance = java.util.Arrays.copyOfRange(runningVar, c0, c0 + channels);
        }
        double[] g = gamma == null ? null : window(gamma.value().toDoubleVector(), c0, channels);
        double[] b = beta == null ? null : window(beta.value().toDoubleVector(), c0, channels);
        invStd = new double[channels];
        scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1.0 / Math.sqrt(variance[c] + epsilon);
            scale[c] = g == null ? invStd[c] : g[c] * invStd[c];
        }
        INDArray y = tmp;
        if (inJava) {
            shift = b == null ? new double[channels] : b;
            if (x.dataType() == DataType.FLOAT) {
                FloatBatchNorm.normalize(x, mean, scale, shift, activation, y);
            } else {
                DoubleBatchNorm.normalize(x, mean, scale, shift, activation, y);
            }
            return y;
        }
        if (activation != Activation.NONE) {
            throw new IllegalStateException("a fused activation needs FLOAT or DOUBLE inputs, but was "
                    + x.dataType());
        }
        // backward with running statistics multiplies by it
        scaleVector.data().setData(scale);
        meanVector.data().setData(mean);
        varianceVector.data().setData(variance);
        if (g != null) {
            gammaVector.data().setData(g);
            betaVector.data().setData(b);
        }
        normalize.exec(y, x, meanVector, varianceVector, gammaVector, betaVector);
        return y;
    }

    @Override
    public INDArray backward(INDArray gy) {
        INDArray x = input;
        int channels = lastCount;
        int c0 = lastStart;
        boolean inJava = javaKernels(x);
        if (inJava) {
            gy = HostArrays.dense(gy);
        }
        // the forward output is dead once its consumers have back-propagated, so it serves as scratch here
        INDArray tmp = output.like(x);
        INDArray gx = gradInput.like(x);
        long n = x.size(0) * x.size(2) * x.size(3);
        double[] sumGrad;
        double[] sumGradX;
        ActivationMask mask = activation == Activation.NONE ? null
                : new ActivationMask(activation, mean, scale, shift);
        if (inJava) {
            sumGrad = new double[channels];
            sumGradX = new double[channels];
            if (x.dataType() == DataType.FLOAT) {
                FloatBatchNorm.gradientSums(x, gy, mask, sumGrad, sumGradX);
            } else {
                DoubleBatchNorm.gradientSums(x, gy, mask, sumGrad, sumGradX);
            }
        } else {
            sumGrad = channelSum(gy, 1.0);
            multiply.exec(tmp, gy, x);
            sumGradX = channelSum(tmp, 1.0);
        }
        double[] gradGamma = new double[channels];
        for (int c = 0; c < channels; c++) {
            // d loss / d gamma = sum(gy * xhat) = invStd * (sum(gy * x) - mean * sum(gy))
            gradGamma[c] = invStd[c] * (sumGradX[c] - mean[c] * sumGrad[c]);
        }
        if (gamma != null) {
            gamma.gradient().assign(Nd4j.createFromArray(widened(gradGamma, c0)).castTo(x.dataType()));
            beta.gradient().assign(Nd4j.createFromArray(widened(sumGrad, c0)).castTo(x.dataType()));
            gamma.markGradient();
            beta.markGradient();
        }
        if (lastBatchStatistics) {
            // gx = scale * gy + a * x + b, a = -scale * invStd * gradGamma / n, b = -scale * sum(gy) / n - a * mean
            double[] a = new double[channels];
            double[] b = new double[channels];
            for (int c = 0; c < channels; c++) {
                a[c] = -scale[c] * invStd[c] * gradGamma[c] / n;
                b[c] = -scale[c] * sumGrad[c] / n - a[c] * mean[c];
            }
            if (inJava) {
                if (x.dataType() == DataType.FLOAT) {
                    FloatBatchNorm.inputGradient(x, gy, mask, a, b, scale, gx);
                } else {
                    DoubleBatchNorm.inputGradient(x, gy, mask, a, b, scale, gx);
                }
                return gx;
            }
            coefA.data().setData(a);
            coefB.data().setData(b);
            multiply.exec(tmp, x, ChannelSums.broadcastable(coefA));
            add.exec(gx, tmp, ChannelSums.broadcastable(coefB));
            multiply.exec(tmp, gy, ChannelSums.broadcastable(scaleVector));
            add.exec(gx, gx, tmp);
        } else if (inJava) {
            double[] zero = new double[channels];
            if (x.dataType() == DataType.FLOAT) {
                FloatBatchNorm.inputGradient(x, gy, mask, zero, zero, scale, gx);
            } else {
                DoubleBatchNorm.inputGradient(x, gy, mask, zero, zero, scale, gx);
            }
        } else {
            multiply.exec(gx, gy, ChannelSums.broadcastable(scaleVector));
        }
        return gx;
    }

    /** A window's per-channel values as the whole layer's: at {@code start} on, 0 elsewhere (as is when whole). */
    private double[] widened(double[] values, int start) {
        if (values.length == channels) {
            return values;
        }
        double[] whole = new double[channels];
        System.arraycopy(values, 0, whole, start, values.length);
        return whole;
    }

    private static double[] window(double[] values, int start, int count) {
        return start == 0 && count == values.length ? values
                : java.util.Arrays.copyOfRange(values, start, start + count);
    }

    /** FLOAT and DOUBLE run the Java passes ({@link FloatBatchNorm}); other types libnd4j's ops. */
    private static boolean javaKernels(INDArray x) {
        return HostArrays.hasJavaKernels(x.dataType());
    }


    private static double[] channelSumsInJava(INDArray x, double[] centre) {
        return x.dataType() == DataType.FLOAT ? FloatBatchNorm.channelSums(x, centre)
                : DoubleBatchNorm.channelSums(x, centre);
    }

    private static double[] scaled(double[] values, double factor) {
        for (int c = 0; c < values.length; c++) {
            values[c] *= factor;
        }
        return values;
    }

    private double[] channelSum(INDArray x, double factor) {
        channelSums.sum(x, sums);
        double[] s = sums.toDoubleVector();
        for (int c = 0; c < s.length; c++) {
            s[c] *= factor;
        }
        return s;
    }
}
