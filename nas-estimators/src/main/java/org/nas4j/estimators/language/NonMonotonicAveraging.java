package org.nas4j.estimators.language;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The switch and the average of NT-ASGD (non-monotonically triggered averaged SGD, from AWD-LSTM, Merity et al. 2018;
 * the DARTS code's {@code rnn/train.py}, commit {@code 8876e793763398e3ee62ac1823fa0a3c14e8c2c5}): SGD runs until a
 * validation loss is worse than the best one from before the last {@code nonmono} evaluations
 * ({@code len(best_val_loss) > nonmono and val_loss > min(best_val_loss[:-nonmono])}, {@code nonmono=5}); from then
 * on the weights go on by the same SGD steps and their running average is what is evaluated and kept. The average is
 * PyTorch's {@code ASGD(t0=0, lambd=0.)}: it copies the weights after the first averaged step and again after the
 * second (its {@code mu} is {@code 1 / max(1, step - t0)} = 1 after step 1), then folds in every later step with
 * {@code mu = 1 / (step - 1)}, so after {@code n >= 2} steps it is the plain mean of the weights after steps
 * {@code 2 .. n}. Validation losses are recorded only before the switch, as the reference's {@code best_val_loss}.
 *
 * <p>Not thread-safe; one per training run.
 */
final class NonMonotonicAveraging {
    private final int nonmono;
    private final List<Double> history = new ArrayList<>();
    private boolean switched;
    private INDArray average;
    private long steps;
    private double mu = 1;

    /** @param nonmono the evaluations a stall is judged over, at least 1 (the reference: 5) */
    NonMonotonicAveraging(int nonmono) {
        if (nonmono < 1) {
            throw new IllegalArgumentException("nonmono must be >= 1, but was " + nonmono);
        }
        this.nonmono = nonmono;
    }

    /** Whether the switch to averaging has happened. */
    boolean averaging() {
        return switched;
    }

    /**
     * Records the validation loss of the SGD weights (before the switch) and says whether it switches now.
     *
     * @throws IllegalStateException after the switch (the averaged weights' losses are not the rule's)
     */
    boolean validated(double loss) {
        if (switched) {
            throw new IllegalStateException("validated() is for the SGD phase; the switch happened already");
        }
        int older = history.size() - nonmono;
        if (older > 0) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < older; i++) {
                best = Math.min(best, history.get(i));
            }
            switched = loss > best;
        }
        history.add(loss);
        return switched;
    }

    /** After each optimizer step: folds the new {@code weights} into the average once switched (else nothing). */
    void stepped(INDArray weights) {
        if (!switched) {
            return;
        }
        steps++;
        if (average == null) {
            average = weights.dup();
        } else if (mu == 1) {
            average.assign(weights);
        } else {
            average.addi(weights.sub(average).muli(mu));
        }
        mu = 1.0 / Math.max(1, steps);
    }

    /** The averaged weights (a live array), or null before the first averaged step. */
    INDArray average() {
        return average;
    }
}
