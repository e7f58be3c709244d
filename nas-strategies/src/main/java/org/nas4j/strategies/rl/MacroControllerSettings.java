package org.nas4j.strategies.rl;

/**
 * The settings of {@link EnasMacroController} that nas4j's generic controller does not have: the number of stacked
 * LSTM layers, how the logits are shaped, and the skip penalty. Immutable and thread-safe. The LSTM's width and
 * initialisation range are {@link Reinforce#hiddenUnits} and {@link Reinforce#initRange}.
 *
 * <p>{@link #reference()} are the values of the reference's macro search (melodyguan/enas at commit
 * {@code 00787a5f}): {@code src/cifar10/main.py} builds the controller with {@code lstm_num_layers=1} and passes
 * {@code controller_temperature} (not set by {@code scripts/cifar10_macro_search.sh}: None, no temperature);
 * the search script sets {@code --controller_tanh_constant=1.5}, {@code --controller_skip_target=0.4} and
 * {@code --controller_skip_weight=0.8}.
 *
 * @param layers       stacked LSTM layers, in [1, 8]
 * @param tanhConstant {@code c} of the logits {@code c * tanh(l)}, finite and >= 0; 0: no tanh (the reference's
 *                     None)
 * @param temperature  logits are divided by it before the tanh; finite and >= 0; 0: no temperature (None)
 * @param skipTarget   the skip probability the penalty pulls toward ({@code controller_skip_target}), in (0, 1)
 * @param skipWeight   the weight of the skip penalty in the loss ({@code controller_skip_weight}), finite and >= 0
 */
public record MacroControllerSettings(int layers, double tanhConstant, double temperature, double skipTarget,
        double skipWeight) {

    /** Validates every field, naming the one that is out of range. */
    public MacroControllerSettings {
        if (layers < 1 || layers > 8) {
            throw new IllegalArgumentException("layers must be in [1, 8], but was " + layers);
        }
        if (!(tanhConstant >= 0 && tanhConstant < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("tanhConstant must be a finite number >= 0 (0: none), but was "
                    + tanhConstant);
        }
        if (!(temperature >= 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0: none), but was "
                    + temperature);
        }
        if (!(skipTarget > 0 && skipTarget < 1)) {
            throw new IllegalArgumentException("skipTarget must be in (0, 1), but was " + skipTarget);
        }
        if (!(skipWeight >= 0 && skipWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("skipWeight must be a finite number >= 0, but was " + skipWeight);
        }
    }

    /** The reference macro search's: 1 layer, tanh constant 1.5, no temperature, skip target 0.4, weight 0.8. */
    public static MacroControllerSettings reference() {
        return new MacroControllerSettings(1, 1.5, 0, 0.4, 0.8);
    }

    /** These settings with {@code n} LSTM layers. */
    public MacroControllerSettings withLayers(int n) {
        return new MacroControllerSettings(n, tanhConstant, temperature, skipTarget, skipWeight);
    }

    /** These settings with the tanh constant {@code c} (0: none). */
    public MacroControllerSettings withTanhConstant(double c) {
        return new MacroControllerSettings(layers, c, temperature, skipTarget, skipWeight);
    }

    /** These settings with the temperature {@code t} (0: none). */
    public MacroControllerSettings withTemperature(double t) {
        return new MacroControllerSettings(layers, tanhConstant, t, skipTarget, skipWeight);
    }

    /** These settings with the skip target {@code t}. */
    public MacroControllerSettings withSkipTarget(double t) {
        return new MacroControllerSettings(layers, tanhConstant, temperature, t, skipWeight);
    }

    /** These settings with the skip penalty's weight {@code w} (0: no penalty). */
    public MacroControllerSettings withSkipWeight(double w) {
        return new MacroControllerSettings(layers, tanhConstant, temperature, skipTarget, w);
    }
}
