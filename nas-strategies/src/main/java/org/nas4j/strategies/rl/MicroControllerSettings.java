package org.nas4j.strategies.rl;

/**
 * The settings of {@link EnasMicroController} that nas4j's generic controller does not have: the number of stacked
 * LSTM layers and how the logits are shaped. Immutable and thread-safe. The LSTM's width and initialisation range
 * are {@link Reinforce#hiddenUnits} and {@link Reinforce#initRange}.
 *
 * <p>{@link #reference()} are the values of the reference's micro search (melodyguan/enas at commit
 * {@code 00787a5f}): {@code src/cifar10/main.py} builds the controller with {@code lstm_num_layers=1} and passes
 * {@code controller_temperature} (not set by {@code scripts/cifar10_micro_search.sh}, so None: no temperature),
 * {@code controller_tanh_constant=1.10} and {@code controller_op_tanh_reduce=2.5} (the search script's flags).
 *
 * @param layers       stacked LSTM layers, in [1, 8]
 * @param tanhConstant {@code c} of the logits {@code c * tanh(l)}, finite and >= 0; 0: no tanh (the reference's
 *                     None)
 * @param opTanhReduce the op logits use {@code c / opTanhReduce} in place of {@code c}; finite and > 0
 * @param temperature  logits are divided by it before the tanh; finite and >= 0; 0: no temperature (None)
 */
public record MicroControllerSettings(int layers, double tanhConstant, double opTanhReduce, double temperature) {

    /** Validates every field, naming the one that is out of range. */
    public MicroControllerSettings {
        if (layers < 1 || layers > 8) {
            throw new IllegalArgumentException("layers must be in [1, 8], but was " + layers);
        }
        if (!(tanhConstant >= 0 && tanhConstant < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("tanhConstant must be a finite number >= 0 (0: none), but was "
                    + tanhConstant);
        }
        if (!(opTanhReduce > 0 && opTanhReduce < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("opTanhReduce must be a finite number > 0, but was " + opTanhReduce);
        }
        if (!(temperature >= 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0: none), but was "
                    + temperature);
        }
    }

    /** The reference micro search's: 1 layer, tanh constant 1.10, op tanh reduce 2.5, no temperature. */
    public static MicroControllerSettings reference() {
        return new MicroControllerSettings(1, 1.10, 2.5, 0);
    }

    /** These settings with {@code n} LSTM layers. */
    public MicroControllerSettings withLayers(int n) {
        return new MicroControllerSettings(n, tanhConstant, opTanhReduce, temperature);
    }

    /** These settings with the tanh constant {@code c} (0: none). */
    public MicroControllerSettings withTanhConstant(double c) {
        return new MicroControllerSettings(layers, c, opTanhReduce, temperature);
    }

    /** These settings with the op logits' tanh reduction {@code r}. */
    public MicroControllerSettings withOpTanhReduce(double r) {
        return new MicroControllerSettings(layers, tanhConstant, r, temperature);
    }

    /** These settings with the temperature {@code t} (0: none). */
    public MicroControllerSettings withTemperature(double t) {
        return new MicroControllerSettings(layers, tanhConstant, opTanhReduce, t);
    }
}
