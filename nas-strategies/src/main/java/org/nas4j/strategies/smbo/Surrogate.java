package org.nas4j.strategies.smbo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.strategies.learning.Adam;
import org.nas4j.strategies.learning.Mlp;
import org.nas4j.strategies.learning.StateCodec;

/**
 * An ensemble of small MLP regressors on the one-hot choice vector (PNAS uses an ensemble of 5 predictors). Member
 * {@code m} trains on the examples whose index is not {@code m} modulo the ensemble size (a different 4/5 of the data
 * for 5 members) so that members disagree where data is thin; the prediction is the members' mean. Targets are
 * standardised at each fit. Training is warm-started: each {@link #fit} continues from the previous weights with
 * a fixed number of Adam steps on mini-batches, so the cost per round does not grow with the history. Not
 * thread-safe.
 */
public final class Surrogate {
    private final int[] offsets;
    private final int inputs;
    private final Mlp[] members;
    private final Adam[] optimisers;
    private final int steps;
    private final int batchSize;
    private double mean;
    private double scale = 1;

    /**
     * An ensemble of {@code size} MLPs with the given hidden layers for {@code space}, trained by {@code steps}
     * Adam steps (learning rate {@code learningRate}) on mini-batches of {@code batchSize} per fit.
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
        members = new Mlp[size];
        optimisers = new Adam[size];
        SplitMix64 init = new SplitMix64(seed);
        for (int m = 0; m < size; m++) {
            members[m] = new Mlp(n, hidden, init);
            optimisers[m] = new Adam(members[m].parameters().length, learningRate);
        }
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
        mean = Arrays.stream(ys).average().orElse(0);
        double var = Arrays.stream(ys).map(y -> (y - mean) * (y - mean)).sum() / Math.max(1, n);
        scale = var > 1e-24 ? Math.sqrt(var) : 1;
        for (int m = 0; m < members.length; m++) {
            int[] own = trainingIndices(m, n);
            double[] grad = new double[members[m].parameters().length];
            int b = Math.min(batchSize, own.length);
            for (int s = 0; s < steps; s++) {
                Arrays.fill(grad, 0);
                for (int k = 0; k < b; k++) {
                    int i = own[rng.nextInt(own.length)];
                    members[m].accumulateGradient(xs.get(i), (ys[i] - mean) / scale, grad);
                }
                for (int j = 0; j < grad.length; j++) {
                    grad[j] /= b;
                }
                optimisers[m].step(members[m].parameters(), grad);
            }
        }
    }

    private int[] trainingIndices(int member, int n) {
        int k = members.length;
        if (k == 1 || n < k) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return java.util.stream.IntStream.range(0, n).filter(i -> i % k != member).toArray();
    }

    /** The ensemble's mean prediction for {@code x}, in the units of the targets. */
    public double predict(double[] x) {
        double s = 0;
        for (Mlp m : members) {
            s += m.predict(x);
        }
        return mean + scale * s / members.length;
    }

    /** The weights, optimiser states and target scaling. */
    public JsonNode save() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.add(StateCodec.encode(new double[] {mean, scale}));
        for (int m = 0; m < members.length; m++) {
            a.addObject().put("weights", StateCodec.encode(members[m].parameters())).set("adam", optimisers[m].save());
        }
        return a;
    }

    /** Restores what {@link #save} wrote. */
    public void restore(JsonNode state) {
        double[] ms = StateCodec.decode(state.get(0).asText());
        mean = ms[0];
        scale = ms[1];
        for (int m = 0; m < members.length; m++) {
            JsonNode s = state.get(m + 1);
            StateCodec.decodeInto(s.get("weights"), members[m].parameters(), "surrogate weights");
            optimisers[m].restore(s.get("adam"));
        }
    }
}
