package org.nas4j.estimators.engine.supernet;

import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GDAS (Dong and Yang, 2019): in training every edge draws {@code y = softmax((log_softmax(alpha[e]) + g) / tau)}
 * with Gumbel noise {@code g}, computes only the op {@code k = argmax y} with weight 1, and back-propagates to
 * {@code alpha} with the straight-through estimator {@code h = onehot(k) - y.detach() + y}, as the authors' code:
 * the chosen op's weight gradient is {@code <dL/dout, op_k(x)>} and every other op's is {@code sum(dL/dout)}. In
 * inference every edge takes the argmax of {@code alpha}.
 *
 * <p>Under a {@link CandidateMask}, a removed op's logit is minus infinity in the Gumbel draw (its noisy score is
 * minus infinity, so it is never chosen), in the inference argmax and in the derivation, and its gradient is 0; a
 * pinned edge always takes its one op.
 */
public final class GdasPolicy implements LearnedPathPolicy {

    private final int edges;
    private final int[] ops;
    private final int columns;
    private final CandidateMask mask;
    private final Parameter alpha;
    private SplittableRandom rng;
    private final LongToDoubleFunction temperature;
    private final EdgePath[] paths;
    private final double[][] soft;
    private final int[] chosen;
    private final double[][] gradHard;
    private boolean training;
    private double tau;
    private long passes;

    /**
     * Creates the policy and declares {@code alpha} (named "alpha", shape [edges, ops], {@code 1e-3 * N(0, 1)}).
     *
     * @param params      where {@code alpha} is declared
     * @param edges       number of edge indices
     * @param ops         number of candidate ops per edge
     * @param seed        seed of the Gumbel noise
     * @param temperature tau as a function of the training pass index (GDAS decays it from 10 to 0.1)
     */
    public GdasPolicy(ParameterSet params, int edges, int ops, long seed, LongToDoubleFunction temperature) {
        this(params, Policies.uniform(edges, ops), seed, temperature);
    }

    /**
     * Creates the policy for edges with their own numbers of ops; {@code alpha} has as many columns as the largest
     * edge, edge {@code e} reading the first {@code ops[e]}.
     *
     * @param ops number of candidate ops of each edge, each >= 1
     */
    public GdasPolicy(ParameterSet params, int[] ops, long seed, LongToDoubleFunction temperature) {
        this(params, ops, CandidateMask.all(Policies.requireCounts(ops)), seed, temperature);
    }

    /**
     * Creates the policy for edges with their own numbers of ops, restricted to the candidates {@code mask} allows.
     *
     * @param ops  number of candidate ops of each edge, each >= 1
     * @param mask the candidates each edge may use, shaped as {@code ops}
     */
    public GdasPolicy(ParameterSet params, int[] ops, CandidateMask mask, long seed,
            LongToDoubleFunction temperature) {
        this.ops = Policies.requireCounts(ops);
        this.mask = mask.requireShape(ops);
        this.edges = ops.length;
        this.columns = Policies.max(this.ops);
        this.alpha = params.add("alpha", new long[] {edges, columns}, Initializer.normal(1e-3));
        this.rng = new SplittableRandom(seed);
        this.temperature = temperature;
        this.paths = new EdgePath[edges];
        this.soft = new double[edges][];
        this.chosen = new int[edges];
        this.gradHard = new double[edges][];
        for (int e = 0; e < edges; e++) {
            gradHard[e] = new double[ops[e]];
        }
    }

    @Override
    public Parameter alpha() {
        return alpha;
    }

    @Override
    public CandidateMask mask() {
        return mask;
    }

    @Override
    public int ops(int edge) {
        Policies.requireEdge(edge, edges);
        return ops[edge];
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public void beginPass(Mode mode) {
        training = mode == Mode.TRAINING;
        double[][] logits = alpha.value().toDoubleMatrix();
        if (training) {
            tau = temperature.applyAsDouble(passes++);
            if (!(tau > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, but was " + tau);
            }
        }
        for (int e = 0; e < edges; e++) {
            if (training) {
                double[] logProbs = logSoftmax(mask.logits(e, Policies.row(logits, e, ops[e])));
                double[] z = new double[ops[e]];
                for (int k = 0; k < ops[e]; k++) {
                    double u = rng.nextDouble(Double.MIN_NORMAL, 1.0);
                    z[k] = (logProbs[k] - Math.log(-Math.log(u))) / tau;
                }
                soft[e] = Policies.softmax(z);
                chosen[e] = Policies.argmax(soft[e]);
                java.util.Arrays.fill(gradHard[e], 0.0);
            } else {
                chosen[e] = Policies.argmax(mask.logits(e, Policies.row(logits, e, ops[e])));
            }
            paths[e] = EdgePath.single(chosen[e]);
        }
    }

    @Override
    public EdgePath path(int edge) {
        return Policies.pathOf(paths, edge);
    }

    @Override
    public boolean needsWeightGradients() {
        return training;
    }

    @Override
    public boolean needsGradientSums() {
        return training;
    }

    @Override
    public void addWeightGradients(int edge, double[] gradWeights, double gradOutputSum) {
        for (int k = 0; k < ops[edge]; k++) {
            gradHard[edge][k] += k == chosen[edge] ? gradWeights[0] : gradOutputSum;
        }
    }

    @Override
    public void endBackward() {
        if (!training) {
            return;
        }
        double[][] logits = alpha.value().toDoubleMatrix();
        double[][] grad = new double[edges][];
        for (int e = 0; e < edges; e++) {
            double[] gz = Policies.softmaxBackward(soft[e], gradHard[e]);
            double sum = 0;
            for (int k = 0; k < ops[e]; k++) {
                gz[k] /= tau;
                sum += gz[k];
            }
            double[] p = Policies.softmax(mask.logits(e, Policies.row(logits, e, ops[e])));
            grad[e] = new double[columns];
            for (int k = 0; k < ops[e]; k++) {
                grad[e][k] = gz[k] - p[k] * sum;
            }
            mask.clearRemoved(e, grad[e]);
        }
        alpha.gradient().assign(Nd4j.createFromArray(grad).castTo(alpha.gradient().dataType()));
        alpha.markGradient();
    }

    /** The op with the largest architecture weight on each edge, among the allowed. */
    public int[] derive() {
        return Policies.argmaxRows(alpha, ops, mask);
    }

    private static double[] logSoftmax(double[] x) {
        double[] p = Policies.softmax(x);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.log(p[i]);
        }
        return out;
    }
}
