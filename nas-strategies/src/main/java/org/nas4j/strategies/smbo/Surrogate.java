package org.nas4j.strategies.smbo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ops.MeanSquaredError;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.strategies.learning.MlpEnsemble;
import org.nas4j.strategies.learning.ModelState;
import org.nas4j.strategies.learning.StateCodec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ensemble of small MLP regressors on the one-hot choice vector (PNAS uses an ensemble of 5 predictors), trained
 * on the engine as one {@link MlpEnsemble} with the engine's Adam. Member {@code m} trains on the examples whose
 * index is not {@code m} modulo the ensemble size (a different 4/5 of the data for 5 members) so that members
 * disagree where data is thin; the prediction is the members' mean. Targets are standardised at each fit. Training
 * is warm-started: each {@link #fit} continues from the previous weights with a fixed number of Adam steps, each on
 * one mini-batch per member (all members in one pass), so the cost per round does not grow with the history.
 *
 * <p>The loss is the mean squared error over all members' mini-batches; since members share no weight, each
 * member's gradient is its own mean squared error's, scaled by {@code 1/M}, and Adam's step does not depend on a
 * constant scale of the gradient. Not thread-safe.
 */
public final class Surrogate {
    /** Candidates predicted per pass: a fixed shape, so the engine's buffers are allocated once. */
    private static final int PREDICTION_CHUNK = 256;

    private final int[] offsets;
    private final int inputs;
    private final MlpEnsemble model;
    private final Adam adam;
    private final MeanSquaredError mse = new MeanSquaredError();
    private final int steps;
    private final int batchSize;
    private double mean;
    private double scale = 1;

    /**
     * An ensemble of {@code size} MLPs with the given hidden layers for {@code space}, trained by {@code steps}
     * Adam steps (learning rate {@code learningRate}) on mini-batches of {@code batchSize} per member per fit.
     */
    public Surrogate(SearchSpace space, int size, int[] hidden, double learningRate, int steps, int batchSize,
                     long seed) {
        List<Choice> choices = space.choices();
        offsets = new int[choices.size()];
        int n = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = n;
            n += choices.get(i).size();
        }
        inputs = n;
        model = new MlpEnsemble(size, n, hidden, seed);
        adam = Adam.builder(model.parameters(), LearningRateSchedule.constant(learningRate)).build();
        this.steps = steps;
        this.batchSize = batchSize;
    }

    /** The one-hot encoding of {@code a}'s choice vector. */
    public double[] encode(Architecture a) {
        double[] x = new double[inputs];
        for (int i = 0; i < offsets.length; i++) {
            x[offsets[i] + a.index(i)] = 1;
        }
        return x;
    }

    /** Trains every member on {@code (xs[i], ys[i])}, drawing mini-batches with {@code rng}. */
    public void fit(List<double[]> xs, double[] ys, RandomGenerator rng) {
        int n = ys.length;
        if (n == 0) {
            return;
        }
        mean = Arrays.stream(ys).average().orElse(0);
        double var = Arrays.stream(ys).map(y -> (y - mean) * (y - mean)).sum() / n;
        scale = var > 1e-24 ? Math.sqrt(var) : 1;
        int members = model.members();
        int[][] own = new int[members][];
        int b = batchSize;
        for (int m = 0; m < members; m++) {
            own[m] = trainingIndices(m, n);
            b = Math.min(b, own[m].length);
        }
        double[] x = new double[members * b * inputs];
        double[] y = new double[members * b];
        for (int s = 0; s < steps; s++) {
            for (int m = 0; m < members; m++) {
                for (int k = 0; k < b; k++) {
                    int i = own[m][rng.nextInt(own[m].length)];
                    int row = m * b + k;
                    System.arraycopy(xs.get(i), 0, x, row * inputs, inputs);
                    y[row] = (ys[i] - mean) / scale;
                }
            }
            INDArray prediction = model.forward(Nd4j.createFromArray(x).reshape(members, b, inputs), Mode.TRAINING);
            mse.forward(prediction, Nd4j.createFromArray(y).reshape(members, b, 1));
            model.backward(mse.backward());
            adam.step();
        }
    }

    private int[] trainingIndices(int member, int n) {
        int k = model.members();
        if (k == 1 || n < k) {
            return IntStream.range(0, n).toArray();
        }
        return IntStream.range(0, n).filter(i -> i % k != member).toArray();
    }

    /** The ensemble's mean prediction for {@code x}, in the units of the targets. */
    public double predict(double[] x) {
        return predict(List.of(x))[0];
    }

    /** The ensemble's mean predictions for every row of {@code xs}, in the units of the targets. */
    public double[] predict(List<double[]> xs) {
        int members = model.members();
        double[] out = new double[xs.size()];
        double[] chunk = new double[members * PREDICTION_CHUNK * inputs];
        for (int from = 0; from < xs.size(); from += PREDICTION_CHUNK) {
            int rows = Math.min(PREDICTION_CHUNK, xs.size() - from);
            Arrays.fill(chunk, 0);
            for (int m = 0; m < members; m++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(xs.get(from + r), 0, chunk, (m * PREDICTION_CHUNK + r) * inputs, inputs);
                }
            }
            double[] y = model.forward(Nd4j.createFromArray(chunk).reshape(members, PREDICTION_CHUNK, inputs),
                    Mode.INFERENCE).reshape(members * PREDICTION_CHUNK).toDoubleVector();
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int m = 0; m < members; m++) {
                    s += y[m * PREDICTION_CHUNK + r];
                }
                out[from + r] = mean + scale * s / members;
            }
        }
        return out;
    }

    /** The weights, optimiser state and target scaling. */
    public JsonNode save() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("scaling", StateCodec.encode(new double[] {mean, scale}));
        s.put("weights", ModelState.saveValues(model.parameters()));
        s.set("adam", ModelState.saveAdam(adam));
        return s;
    }

    /** Restores what {@link #save} wrote. */
    public void restore(JsonNode state) {
        double[] ms = StateCodec.decode(state.get("scaling").asText());
        mean = ms[0];
        scale = ms[1];
        ModelState.restoreValues(state.get("weights"), model.parameters(), "surrogate weights");
        ModelState.restoreAdam(state.get("adam"), adam);
    }
}
