package org.nas4j.estimators.engine.supernet;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ProxylessNAS binary gates (Cai, Zhu and Han, ICLR 2019, "two paths" mode): in training every edge draws two
 * distinct ops by multinomial sampling over {@code p = softmax(alpha[e])} without replacement, then one of them,
 * the active op, with the probabilities of the two renormalized; its binary gate is 1, the other's 0. The edge
 * outputs the active op's output; only the two sampled ops are computed, and the inactive one only forward (its
 * gate gradient needs its output; with gate 0 it gets no weight gradient).
 *
 * <p>Gradient of {@code alpha} as in the paper: with {@code dL/dg_j = <dL/dy, o_j>} for the two sampled ops and
 * {@code q = softmax} of their two logits, {@code dL/dalpha_i = sum_j dL/dg_j q_j (delta_ij - q_i)}, zero for the
 * ops not sampled. After the optimizer has updated {@code alpha}, {@link #rescale()} shifts the two sampled logits
 * by one common offset so that their total probability mass {@code exp(a_i) + exp(a_j)} is what it was before the
 * update: the step redistributes mass between the two sampled ops and leaves the others' probabilities unchanged.
 *
 * <p>Edges may have different numbers of ops ({@code alpha} has as many columns as the largest edge; edge {@code e}
 * reads the first {@code ops[e]}); an edge of one op always takes it and its logit gets no gradient.
 *
 * <p>Under a {@link CandidateMask}, the two ops are drawn among an edge's allowed ops only (a removed op's
 * probability is exactly 0 and it is never drawn, computed or derived; its logit gets no gradient and the rescaling
 * never touches it), and an edge with one allowed op (pinned) always takes it, as an edge of one op does.
 *
 * <p>{@link #architectureStep(boolean) architectureStep(false)} runs the active op alone (the weight-training step
 * of the paper, where the gates' gradients are not needed). In inference every edge takes the argmax of
 * {@code alpha}.
 *
 * <pre>{@code
 * ComposedSupernet net = ComposedSupernet.compile(space, PathPolicies.proxyless(7), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42);
 * ProxylessPolicy gates = (ProxylessPolicy) net.policy();
 * // architecture step on a validation batch: forward, backward, alphaOptimizer.step(), then
 * gates.rescale();
 * }</pre>
 */
public final class ProxylessPolicy implements LearnedPathPolicy {

    private final int edges;
    private final int[] ops;
    private final int columns;
    private final CandidateMask mask;
    private final Parameter alpha;
    private SplittableRandom rng;
    private final EdgePath[] paths;
    /** Per edge: the active op, then the inactive one, of the current pass. */
    private final int[][] sampled;
    private final double[][] gateGradients;
    private final double[][] sampledBefore;
    private double[][] logits;
    private boolean training;
    private boolean twoPaths = true;
    private boolean gradientWritten;

    /**
     * Creates the policy and declares {@code alpha} (named "alpha", shape [edges, ops], {@code 1e-3 * N(0, 1)}).
     *
     * @param params where {@code alpha} is declared
     * @param edges  number of edge indices
     * @param ops    number of candidate ops per edge, >= 2
     * @param seed   seed of the path sampling
     */
    public ProxylessPolicy(ParameterSet params, int edges, int ops, long seed) {
        this(params, checkTwo(edges, ops), seed);
    }

    /**
     * Creates the policy for edges with their own numbers of ops and declares {@code alpha} (shape [edges, max
     * ops]).
     *
     * @param ops number of candidate ops of each edge, each >= 1 (an edge of one op always takes it)
     */
    public ProxylessPolicy(ParameterSet params, int[] ops, long seed) {
        this(params, ops, CandidateMask.all(Policies.requireCounts(ops)), seed);
    }

    /**
     * Creates the policy for edges with their own numbers of ops, restricted to the candidates {@code mask} allows,
     * and declares {@code alpha} (shape [edges, max ops]).
     *
     * @param ops  number of candidate ops of each edge, each >= 1
     * @param mask the candidates each edge may use, shaped as {@code ops} (an edge with one allowed op always
     *             takes it)
     */
    public ProxylessPolicy(ParameterSet params, int[] ops, CandidateMask mask, long seed) {
        this.ops = Policies.requireCounts(ops);
        this.mask = mask.requireShape(ops);
        this.edges = ops.length;
        this.columns = Policies.max(this.ops);
        this.alpha = params.add("alpha", new long[] {edges, columns}, Initializer.normal(1e-3));
        this.rng = new SplittableRandom(seed);
        this.paths = new EdgePath[edges];
        this.sampled = new int[edges][2];
        this.gateGradients = new double[edges][2];
        this.sampledBefore = new double[edges][2];
    }

    private static int[] checkTwo(int edges, int ops) {
        Policies.requireShape(edges, ops);
        if (ops < 2) {
            throw new IllegalArgumentException("ops must be >= 2 for two sampled paths, but was " + ops);
        }
        return Policies.uniform(edges, ops);
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

    /**
     * Whether training passes run both sampled ops and write {@code alpha}'s gradient (true, the default: the
     * architecture step), or only the active op (false: the weight step).
     */
    public ProxylessPolicy architectureStep(boolean on) {
        this.twoPaths = on;
        return this;
    }

    @Override
    public void architecturePasses(boolean on) {
        architectureStep(on);
    }

    @Override
    public void afterArchitectureUpdate() {
        rescale();
    }

    @Override
    public void reseed(long seed) {
        rng = new SplittableRandom(seed);
    }

    @Override
    public void beginPass(Mode mode) {
        training = mode == Mode.TRAINING;
        logits = alpha.value().toDoubleMatrix();
        gradientWritten = false;
        for (int e = 0; e < edges; e++) {
            double[] own = mask.logits(e, Policies.row(logits, e, ops[e]));
            if (!training || single(e)) {
                paths[e] = EdgePath.single(Policies.argmax(own));
                sampled[e][0] = paths[e].op(0);
                sampled[e][1] = -1;
                continue;
            }
            double[] p = Policies.softmax(own);
            int first = draw(e, p, -1);
            int second = draw(e, p, first);
            double[] q = Policies.softmax(new double[] {logits[e][first], logits[e][second]});
            boolean firstActive = rng.nextDouble() < q[0];
            sampled[e][0] = firstActive ? first : second;
            sampled[e][1] = firstActive ? second : first;
            Arrays.fill(gateGradients[e], 0.0);
            paths[e] = twoPaths ? new EdgePath(sampled[e], new double[] {1.0, 0.0})
                    : EdgePath.single(sampled[e][0]);
        }
    }

    /** Whether {@code edge} has one usable op (one candidate, or one allowed by the mask): it always takes it. */
    private boolean single(int edge) {
        return mask.allowedCount(edge) == 1;
    }

    /**
     * One multinomial draw from {@code p}, leaving out {@code excluded} (-1: none) and the ops the mask removes, and
     * renormalizing.
     */
    private int draw(int edge, double[] p, int excluded) {
        double total = 0;
        for (int k = 0; k < p.length; k++) {
            total += k == excluded || !mask.allows(edge, k) ? 0 : p[k];
        }
        double u = rng.nextDouble() * total;
        int last = -1;
        for (int k = 0; k < p.length; k++) {
            if (k == excluded || !mask.allows(edge, k)) {
                continue;
            }
            last = k;
            u -= p[k];
            if (u < 0) {
                return k;
            }
        }
        return last;
    }

    @Override
    public EdgePath path(int edge) {
        return Policies.pathOf(paths, edge);
    }

    /** The active op of each edge in the current training pass (the op whose gate is 1). */
    public int[] active() {
        int[] out = new int[edges];
        for (int e = 0; e < edges; e++) {
            out[e] = sampled[e][0];
        }
        return out;
    }

    /** The inactive sampled op of each edge in the current training pass (gate 0, computed for its gradient). */
    public int[] inactive() {
        int[] out = new int[edges];
        for (int e = 0; e < edges; e++) {
            out[e] = sampled[e][1];
        }
        return out;
    }

    @Override
    public boolean needsWeightGradients() {
        return training && twoPaths;
    }

    @Override
    public void addWeightGradients(int edge, double[] gradWeights, double gradOutputSum) {
        if (single(edge)) {
            return;
        }
        gateGradients[edge][0] += gradWeights[0];
        gateGradients[edge][1] += gradWeights[1];
    }

    @Override
    public void endBackward() {
        if (!(training && twoPaths)) {
            return;
        }
        double[][] grad = new double[edges][columns];
        for (int e = 0; e < edges; e++) {
            if (single(e)) {
                continue;
            }
            int[] idx = sampled[e];
            double[] q = Policies.softmax(new double[] {logits[e][idx[0]], logits[e][idx[1]]});
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    grad[e][idx[i]] += gateGradients[e][j] * q[j] * ((i == j ? 1.0 : 0.0) - q[i]);
                }
                sampledBefore[e][i] = logits[e][idx[i]];
            }
        }
        alpha.gradient().assign(Nd4j.createFromArray(grad).castTo(alpha.gradient().dataType()));
        alpha.markGradient();
        gradientWritten = true;
    }

    /**
     * Call after the optimizer has updated {@code alpha} from the last architecture step: shifts the two sampled
     * logits of every edge by {@code log(sum exp(new) / sum exp(old))}, so that the other ops' probabilities are
     * those before the update. Does nothing if the last backward pass wrote no gradient.
     */
    public void rescale() {
        if (!gradientWritten) {
            return;
        }
        for (int e = 0; e < edges; e++) {
            if (single(e)) {
                continue;
            }
            int[] idx = sampled[e];
            double a = alpha.value().getDouble(e, idx[0]);
            double b = alpha.value().getDouble(e, idx[1]);
            double offset = logSumExp(a, b) - logSumExp(sampledBefore[e][0], sampledBefore[e][1]);
            alpha.value().putScalar(new long[] {e, idx[0]}, a - offset);
            alpha.value().putScalar(new long[] {e, idx[1]}, b - offset);
        }
        gradientWritten = false;
    }

    /** The op with the largest architecture weight on each edge, among the allowed. */
    public int[] derive() {
        return Policies.argmaxRows(alpha, ops, mask);
    }

    private static double logSumExp(double a, double b) {
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
