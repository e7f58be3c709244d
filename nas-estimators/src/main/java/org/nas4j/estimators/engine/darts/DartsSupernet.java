package org.nas4j.estimators.engine.darts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.GradientSums;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.BatchNorm;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nas4j.estimators.engine.ops.Dense;
import org.nas4j.estimators.engine.ops.GlobalAveragePool;
import org.nas4j.estimators.engine.ops.Sequential;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.spaces.darts.ConcatRule;
import org.nas4j.spaces.darts.DartsOps;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The DARTS search network ({@code model_search.Network} of the reference): stem conv3x3 to 3C + BN; {@code layers}
 * cells reading the two previous states, those at {@code layers/3} and {@code 2*layers/3} reducing and doubling C;
 * global average pooling and a linear classifier. Every edge of every cell holds each op of the space once plus
 * {@code none} (batch norm without affine parameters, as the reference), and one {@link PathPolicy} combines them:
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#mixed() mixed} (DARTS),
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#gdas gdas},
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#singlePath singlePath} (SPOS),
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#proxyless proxyless},
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#pathDropout pathDropout} or
 * {@link org.nas4j.estimators.engine.supernet.PathPolicies#fixed fixed}.
 *
 * <p>The policy sees {@code 2 * E} edges ({@code E = 2 + 3 + ... + (nodes + 1)} per cell, 14 for 4 nodes): indices
 * {@code 0 .. E-1} are the normal cells' edges, {@code E .. 2E-1} the reduction cells', so a policy with
 * architecture weights holds {@code alphas_normal} and {@code alphas_reduce} of the reference as the two row
 * blocks of its {@code alpha}, views of which {@link #normalAlpha()} and {@link #reduceAlpha()} return. The
 * architecture weights live in their own {@link #architectureParameters() parameter set}, apart from the
 * {@link #weights() weights}, so each gets its own optimizer (SGD and Adam in the reference).
 *
 * <pre>{@code
 * DartsSupernet net = DartsSupernet.builder(DartsSpace.darts(), PathPolicies.mixed()).build(); // C=16, 8 cells
 * Optimizer w = Sgd.builder(net.weights(), LearningRateSchedule.cosine(0.025, steps, 0.001)).momentum(0.9).build();
 * Optimizer a = Adam.builder(net.architectureParameters(), LearningRateSchedule.constant(3e-4)).beta1(0.5).build();
 * double loss = ce.forward(net.forward(images, Mode.TRAINING), labels);
 * net.backward(ce.backward());
 * Architecture found = net.derive();   // DARTS' genotype, net.space().format(found) gives its text
 * }</pre>
 */
public final class DartsSupernet implements Supernet {

    private final DartsSpace space;
    private final List<String> ops;
    private final int edgesPerCell;
    private final int inputChannels;
    private final ParameterSet weights;
    private final ParameterSet architecture;
    private final PathPolicy policy;
    private final Layer stem;
    private final List<SearchCell> cells = new ArrayList<>();
    private final Layer head;
    private final INDArray[] states;
    private final GradientSums grads;
    /** Spare buffers shared by all cells: single-path passes and finished backward passes hand theirs back. */
    private final ArrayPool pool = new ArrayPool();

    private DartsSupernet(Builder b) {
        this.space = b.space;
        List<String> all = new ArrayList<>();
        all.add(DartsOps.NONE);
        for (String op : space.ops()) {
            if (!op.equals(DartsOps.NONE)) {
                all.add(op);
            }
        }
        this.ops = List.copyOf(all);
        this.edgesPerCell = SearchCell.edgesPerCell(space.nodes());
        this.inputChannels = b.inputChannels;
        this.weights = new ParameterSet(b.dataType, b.seed);
        this.architecture = new ParameterSet(b.dataType, b.seed ^ 0x5DEECE66DL);
        this.policy = b.policy.create(architecture, 2 * edgesPerCell, ops.size());
        int c = b.channels;
        int stemChannels = 3 * c;
        this.stem = new Sequential(Conv2d.builder(weights, "stem.conv", b.inputChannels, stemChannels, 3).padding(1)
                .build(), new BatchNorm(weights, "stem.bn", stemChannels, true));
        int prevPrev = stemChannels;
        int prev = stemChannels;
        boolean reductionPrev = false;
        for (int i = 0; i < b.layers; i++) {
            boolean reduction = i == b.layers / 3 || i == 2 * b.layers / 3;
            if (reduction) {
                c *= 2;
            }
            cells.add(new SearchCell(weights, "cell" + i, space.nodes(), ops, prevPrev, prev, c, reduction,
                    reductionPrev, policy, pool));
            prevPrev = prev;
            prev = space.nodes() * c;
            reductionPrev = reduction;
        }
        this.head = new Sequential(new GlobalAveragePool(), new Dense(weights, "classifier", prev, b.classes));
        weights.seal();
        architecture.seal();
        int n = cells.size() + 1;
        this.states = new INDArray[n];
        this.grads = new GradientSums(n);
        for (int i = 0; i < n; i++) {
        }
    }

    /**
     * Starts a supernet over {@code space} with the reference's search defaults: C = 16, 8 cells, 10 classes,
     * 3 input channels, FLOAT, seed 0.
     *
     * @param space  a DARTS-style space with all-intermediate concatenation and ops from the DARTS family
     * @param policy how edges combine their ops
     */
    public static Builder builder(DartsSpace space, PathPolicy.Factory policy) {
        return new Builder(space, policy);
    }

    /** The space whose architectures {@link #derive()} returns. */
    @Override
    public DartsSpace space() {
        return space;
    }

    /** The candidate ops of every edge, in the policy's op order: {@code none} first, then the space's ops. */
    public List<String> ops() {
        return ops;
    }

    /** Edges per cell (14 for 4 nodes); the policy has twice as many edge indices (normal, then reduce). */
    public int edgesPerCell() {
        return edgesPerCell;
    }

    /** The network weights (convolutions, batch norms, classifier). */
    @Override
    public ParameterSet weights() {
        return weights;
    }

    /** The architecture weights of the policy (empty for policies without any). */
    @Override
    public ParameterSet architectureParameters() {
        return architecture;
    }

    @Override
    public java.util.Map<String, double[]> states() {
        return weights.states();
    }

    /** The path policy. */
    @Override
    public PathPolicy policy() {
        return policy;
    }

    /** The normal cells' architecture weights, a {@code [E, ops]} view (the reference's {@code alphas_normal}). */
    public INDArray normalAlpha() {
        return learned().alpha().value().get(NDArrayIndex.interval(0, edgesPerCell), NDArrayIndex.all());
    }

    /** The reduction cells' architecture weights, a {@code [E, ops]} view ({@code alphas_reduce}). */
    public INDArray reduceAlpha() {
        return learned().alpha().value().get(NDArrayIndex.interval(edgesPerCell, 2 * edgesPerCell),
                NDArrayIndex.all());
    }

    /**
     * DARTS' discrete architecture from {@code softmax(alpha)} ({@link GenotypeDerivation}); needs a policy with
     * architecture weights.
     */
    @Override
    public Architecture derive() {
        return GenotypeDerivation.derive(space, ops, softmaxRows(normalAlpha()), softmaxRows(reduceAlpha()));
    }

    private LearnedPathPolicy learned() {
        if (policy instanceof LearnedPathPolicy p) {
            return p;
        }
        throw new IllegalStateException("the policy " + policy.getClass().getSimpleName()
                + " has no architecture weights; use mixed, gdas or proxyless");
    }

    private static double[][] softmaxRows(INDArray logits) {
        double[][] rows = logits.toDoubleMatrix();
        for (double[] row : rows) {
            double max = Arrays.stream(row).max().orElse(0);
            double sum = 0;
            for (int k = 0; k < row.length; k++) {
                row[k] = Math.exp(row[k] - max);
                sum += row[k];
            }
            for (int k = 0; k < row.length; k++) {
                row[k] /= sum;
            }
        }
        return rows;
    }

    /**
     * Computes the logits.
     *
     * @param images {@code [batch, inputChannels, H, W]} in the network's data type; H and W even down to the
     *               last reduction
     * @param mode   training or inference
     * @return {@code [batch, classes]} logits, owned by the network
     */
    @Override
    public INDArray forward(INDArray images, Mode mode) {
        if (images.rank() != 4 || images.size(1) != inputChannels || images.dataType() != weights.dataType()) {
            throw new IllegalArgumentException("images must be [batch, " + inputChannels + ", H, W] of type "
                    + weights.dataType() + ", but were " + Arrays.toString(images.shape()) + " of type "
                    + images.dataType());
        }
        policy.beginPass(mode);
        for (SearchCell cell : cells) {
            cell.releaseUnusedCandidates(); // every release of the pass before its first allocation
        }
        states[0] = stem.forward(images, mode);
        for (int i = 0; i < cells.size(); i++) {
            states[i + 1] = cells.get(i).forward(states[Math.max(i - 1, 0)], states[i], mode);
        }
        return head.forward(states[cells.size()], mode);
    }

    /**
     * Back-propagates through the last forward pass, writing the gradients of every weight that took part and,
     * through the policy, of the architecture weights.
     *
     * @param gradLogits gradient of the loss with respect to the logits
     * @return the gradient with respect to the images, owned by the network
     */
    @Override
    public INDArray backward(INDArray gradLogits) {
        grads.clear();
        grads.add(cells.size(), head.backward(gradLogits));
        for (int i = cells.size() - 1; i >= 0; i--) {
            INDArray[] g = cells.get(i).backward(grads.get(i + 1));
            grads.add(i, g[1]);
            grads.add(Math.max(i - 1, 0), g[0]);
        }
        INDArray gx = stem.backward(grads.get(0));
        policy.endBackward();
        return gx;
    }

    /** Builder of {@link DartsSupernet}; each setter validates its argument at once. */
    public static final class Builder {
        private final DartsSpace space;
        private final PathPolicy.Factory policy;
        private int channels = 16;
        private int layers = 8;
        private int classes = 10;
        private int inputChannels = 3;
        private DataType dataType = DataType.FLOAT;
        private long seed;

        private Builder(DartsSpace space, PathPolicy.Factory policy) {
            this.space = Objects.requireNonNull(space, "space");
            this.policy = Objects.requireNonNull(policy, "policy");
            if (space.concatRule() != ConcatRule.ALL_INTERMEDIATE) {
                throw new IllegalArgumentException("space must concatenate all intermediate nodes (ALL_INTERMEDIATE)"
                        + " as the DARTS search cell does, but its rule was " + space.concatRule());
            }
            if (space.progressive() || space.sharedCell()) {
                throw new IllegalArgumentException("space must have a fixed node count and two cells, as the DARTS"
                        + " search cell does, but was progressive=" + space.progressive() + ", sharedCell="
                        + space.sharedCell() + ": " + space.identity());
            }
            for (String op : space.ops()) {
                if (!SearchOps.supports(op)) {
                    throw new IllegalArgumentException("op '" + op + "' of the space has no search-cell"
                            + " implementation; supported: none, skip_connect, max_pool_3x3, avg_pool_3x3,"
                            + " sep_conv_3x3/5x5/7x7, dil_conv_3x3/5x5");
                }
            }
        }

        /** Initial channels C, even and >= 2 (factorized reduce halves it); default 16. */
        public Builder channels(int channels) {
            if (channels < 2 || channels % 2 != 0) {
                throw new IllegalArgumentException("channels must be even and >= 2, but was " + channels);
            }
            this.channels = channels;
            return this;
        }

        /** Cells, >= 3 (two of them reduce); default 8. */
        public Builder layers(int layers) {
            if (layers < 3) {
                throw new IllegalArgumentException("layers must be >= 3, but was " + layers);
            }
            this.layers = layers;
            return this;
        }

        /** Output classes, >= 2; default 10. */
        public Builder classes(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + classes);
            }
            this.classes = classes;
            return this;
        }

        /** Image channels, >= 1; default 3. */
        public Builder inputChannels(int inputChannels) {
            if (inputChannels < 1) {
                throw new IllegalArgumentException("inputChannels must be >= 1, but was " + inputChannels);
            }
            this.inputChannels = inputChannels;
            return this;
        }

        /** FLOAT (default) or DOUBLE (gradient checks). */
        public Builder dataType(DataType dataType) {
            if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
                throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, but was " + dataType);
            }
            this.dataType = dataType;
            return this;
        }

        /** Seed of the initial weights and architecture weights; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds the network and declares and initializes its parameters. */
        public DartsSupernet build() {
            return new DartsSupernet(this);
        }
    }
}
