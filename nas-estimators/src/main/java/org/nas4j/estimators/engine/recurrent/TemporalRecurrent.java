package org.nas4j.estimators.engine.recurrent;

import java.util.Arrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A recurrent layer over the time axis of a series held as a {@code [B, C, 1, T]} map, returning every step's
 * hidden state as {@code [B, H, 1, T]} (Keras' {@code LSTM(H, return_sequences=True)} or {@code GRU(H,
 * return_sequences=True)} on {@code [B, T, C]}): channels are the features of a step, the width is time, zero
 * initial state.
 *
 * <p>{@link #lstm} and {@link #gru} make the cells as Keras does: an {@link LstmCell} in the one-bias layout
 * ({@code 4 (H C + H H + H)} parameters) or a {@link GruCell} ({@code 3 (H C + H H + 2H)}); Glorot-uniform input
 * weights, biases 0 (the LSTM's forget gate 1, Keras' {@code unit_forget_bias}); Keras' recurrent weights are
 * orthogonal, here Glorot uniform, the engine having no orthogonal initializer.
 *
 * <pre>{@code
 * LstmCell cell = TemporalRecurrent.lstm(params, "b1.lstm", 8, 16);
 * TemporalRecurrent lstm = new TemporalRecurrent(cell);
 * params.seal();
 * INDArray h = lstm.forward(x, Mode.TRAINING);      // [B, 8, 1, T] -> [B, 16, 1, T]
 * }</pre>
 *
 * <p>Arrays returned are owned by the layer and valid until its next call with the same shape. Not thread-safe.
 */
public final class TemporalRecurrent implements Layer {
    private final SequenceCell cell;
    private long[] inputShape;
    private INDArray output;
    private INDArray outputSteps;
    private INDArray gradInput;
    private INDArray gradInputSteps;

    /** @param cell the recurrent layer run along time */
    public TemporalRecurrent(SequenceCell cell) {
        this.cell = java.util.Objects.requireNonNull(cell, "cell");
    }

    /**
     * Keras' {@code LSTM(hidden)}: declares {@code name.weight_ih [4H, C]}, {@code name.weight_hh [4H, H]},
     * {@code name.bias [4H]}.
     *
     * @param params   where they are declared
     * @param name     prefix of the parameter names
     * @param channels input channels C, at least 1
     * @param hidden   hidden units H (the output channels), at least 1
     */
    public static LstmCell lstm(ParameterSet params, String name, int channels, int hidden) {
        checkSizes(channels, hidden);
        return new LstmCell(params, name, channels, hidden, glorot(channels, 4 * hidden),
                glorot(hidden, 4 * hidden), forgetBias(hidden));
    }

    /**
     * Keras' {@code GRU(hidden)} ({@code reset_after=True}): declares {@code name.weight_ih [3H, C]},
     * {@code name.weight_hh [3H, H]}, {@code name.bias_ih [3H]}, {@code name.bias_hh [3H]}.
     *
     * @param params   where they are declared
     * @param name     prefix of the parameter names
     * @param channels input channels C, at least 1
     * @param hidden   hidden units H (the output channels), at least 1
     */
    public static GruCell gru(ParameterSet params, String name, int channels, int hidden) {
        checkSizes(channels, hidden);
        return new GruCell(params, name, channels, hidden, glorot(channels, 3 * hidden), glorot(hidden, 3 * hidden),
                Initializer.constant(0));
    }

    private static void checkSizes(int channels, int hidden) {
        if (channels < 1 || hidden < 1) {
            throw new IllegalArgumentException("channels and hidden must be >= 1, but were " + channels + " and "
                    + hidden);
        }
    }

    /** The cell. */
    public SequenceCell cell() {
        return cell;
    }

    @Override
    public INDArray forward(INDArray input, Mode mode) {
        if (input.rank() != 4 || input.size(1) != cell.inputSize() || input.size(2) != 1) {
            throw new IllegalArgumentException("input must be [B, " + cell.inputSize() + ", 1, T], but was "
                    + Arrays.toString(input.shape()));
        }
        int batch = (int) input.size(0);
        int length = (int) input.size(3);
        if (!Arrays.equals(input.shape(), inputShape)) {
            inputShape = input.shape().clone();
            output = MemoryScope.track(Nd4j.create(input.dataType(), batch, cell.hiddenSize(), 1, length));
            outputSteps = output.reshape('c', batch, cell.hiddenSize(), length).permute(2, 0, 1);
            gradInput = MemoryScope.track(Nd4j.create(input.dataType(), input.shape()));
            gradInputSteps = gradInput.reshape('c', batch, cell.inputSize(), length).permute(2, 0, 1);
        }
        INDArray steps = input.reshape('c', batch, cell.inputSize(), length).permute(2, 0, 1);
        INDArray hidden = cell.forward(steps, batch);
        outputSteps.assign(hidden.reshape('c', length, batch, cell.hiddenSize()));
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (output == null || !Arrays.equals(gradOutput.shape(), output.shape())) {
            throw new IllegalArgumentException("gradOutput must be " + (output == null ? "of a forward pass"
                    : Arrays.toString(output.shape())) + ", but was " + Arrays.toString(gradOutput.shape()));
        }
        int batch = (int) inputShape[0];
        int length = (int) inputShape[3];
        INDArray gradSteps = gradOutput.reshape('c', batch, cell.hiddenSize(), length).permute(2, 0, 1);
        INDArray grad = cell.backward(gradSteps);
        gradInputSteps.assign(grad.reshape('c', length, batch, cell.inputSize()));
        return gradInput;
    }

    /** Glorot (Xavier) uniform for a weight of {@code fanIn} inputs and {@code fanOut} outputs. */
    private static Initializer glorot(int fanIn, int fanOut) {
        return Initializer.uniform(Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** Keras' {@code unit_forget_bias}: 1 on the forget gate (the second block of H), 0 elsewhere. */
    private static Initializer forgetBias(int hidden) {
        return (values, rng) -> {
            Arrays.fill(values, 0);
            Arrays.fill(values, hidden, 2 * hidden, 1);
        };
    }
}
