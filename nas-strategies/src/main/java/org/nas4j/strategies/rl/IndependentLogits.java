package org.nas4j.strategies.rl;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.PolicyGradientLoss;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One independent softmax per choice, its logits the only parameters (the policy of the NAS-Bench-201 paper's
 * REINFORCE baseline), on the engine: one logits parameter for all choices, each choice a segment of it, and the
 * engine's {@link PolicyGradientLoss}. Logits start at zero: the uniform distribution. Not thread-safe.
 */
public final class IndependentLogits implements Policy {
    private final int[] sizes;
    private final int[] from;
    private final ParameterSet params = new ParameterSet(DataType.DOUBLE, 0);
    private final Parameter logits;
    private final PolicyGradientLoss loss = new PolicyGradientLoss();
    private final double[] probs;
    /** Per flat option: 0, or minus infinity for an option the mask removes. */
    private final double[] mask;

    /** A uniform policy over choices with {@code sizes[i]} options each. */
    public IndependentLogits(int[] sizes) {
        this(sizes, null);
    }

    /**
     * A uniform policy over the options {@code allowed[i][o]} allows of choices with {@code sizes[i]} options each:
     * a removed option's logit reads as minus infinity, so it is never drawn and its logit gets no gradient.
     *
     * @param allowed per choice and option, whether it may be drawn; null: every option
     */
    public IndependentLogits(int[] sizes, boolean[][] allowed) {
        this.sizes = Policy.checkSizes(sizes);
        this.from = Policy.offsets(sizes);
        this.mask = Policy.maskOffsets(this.sizes, allowed);
        this.logits = params.add("logits", new long[] {Arrays.stream(sizes).sum()}, Initializer.constant(0));
        params.seal();
        this.probs = new double[Arrays.stream(sizes).max().orElseThrow()];
    }

    @Override
    public ParameterSet parameters() {
        return params;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        double[] z = HostArrays.read(logits.value());
        for (int j = 0; j < z.length; j++) {
            z[j] += mask[j];
        }
        int[] a = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            PolicyGradientLoss.softmax(z, from[i], sizes[i], probs);
            a[i] = Policy.draw(probs, sizes[i], rng);
        }
        return a;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, boolean gradient) {
        INDArray z = logits.value().add(Nd4j.createFromArray(mask).castTo(logits.value().dataType()));
        double value = loss.forward(z, from, sizes, actions, logProbWeight, entropyWeight);
        if (gradient) {
            HostArrays.write(loss.gradient(), logits.gradient());
            logits.markGradient();
        }
        return value;
    }
}
