package org.nas4j.estimators.engine.nb201;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.Nb201Skeleton;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The NAS-Bench-201 network: the {@link Nb201Skeleton} (stem {@code Conv3x3(3->C)-BN}; three stages of N cells
 * with C, 2C and 4C channels, joined by ResNet basic blocks with stride 2; head {@code BN-ReLU-GlobalAvgPool-Linear})
 * around cells of supernet edges.
 *
 * <p>Built either as a weight-sharing supernet, where every edge of every cell holds all five candidate ops and a
 * {@link PathPolicy} chooses per pass, or as the stand-alone network of one architecture, holding only its ops.
 *
 * <p>Memory: one {@link ArrayPool} serves the whole network. Before each forward pass every edge hands the buffers
 * of the candidates the pass does not run to it, and cells hand back their edges' gradient buffers during the
 * backward pass; so a single-path supernet holds about the memory of the ops one pass runs. Outputs that only a
 * sum reads (an edge's into its node, a residual branch's into the block's output) go back right after the sum,
 * and the stem's and head's buffers after the backward pass.
 *
 * <pre>{@code
 * Nb201Network net = Nb201Network.builder().channels(16).cells(5).supernet(PathPolicies.mixed()).build();
 * INDArray logits = net.forward(images, Mode.TRAINING);
 * double loss = ce.forward(logits, labels);
 * net.backward(ce.backward());
 * optimizer.step();
 * }</pre>
 */
public final class Nb201Network {

    private final ParameterSet params;
    private final PathPolicy policy;
    /** Stem, cells and reductions, head, in order. */
    private final List<Layer> layers;
    private final Layer stem;
    private final Layer head;
    private final List<Nb201Cell> cells = new ArrayList<>();
    private final ArrayPool pool = new ArrayPool();

    private Nb201Network(Builder b) {
        this.params = new ParameterSet(b.dataType, b.seed);
        int edges = Nb201Architecture.EDGES;
        int ops = Nb201Op.values().length;
        this.policy = b.policy.create(params, edges, ops);
        boolean[][] candidates = new boolean[edges][ops];
        for (int e = 0; e < edges; e++) {
            if (b.standalone == null) {
                Arrays.fill(candidates[e], true);
            } else {
                candidates[e][b.standalone.indices()[e]] = true;
            }
        }
        this.layers = Nb201Skeleton.layers(params,
                new Nb201Skeleton.Dimensions(3, b.channels, b.cells, b.classes), pool, m -> m, (name, c) -> {
                    Nb201Cell cell = new Nb201Cell(params, name, c, candidates, policy, pool);
                    cells.add(cell);
                    return cell;
                });
        this.stem = layers.get(0);
        this.head = layers.get(layers.size() - 1);
        params.seal();
        // empty buffers: makes the stem's and head's buffers take their arrays from the pool from the first pass on
        releaseStemAndHead();
    }

    /** Starts a network with NAS-Bench-201's defaults: C = 16, N = 5, 10 classes, FLOAT, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** All trainable values (architecture weights included, if the policy has any). */
    public ParameterSet parameters() {
        return params;
    }

    /** The path policy. */
    public PathPolicy policy() {
        return policy;
    }

    /**
     * Computes the logits.
     *
     * @param images {@code [batch, 3, H, W]} with H and W divisible by 4, in the network's data type
     * @param mode   training or inference
     * @return {@code [batch, classes]} logits, owned by the network
     */
    public INDArray forward(INDArray images, Mode mode) {
        if (images.rank() != 4 || images.size(1) != 3 || images.dataType() != params.dataType()) {
            throw new IllegalArgumentException("images must be [batch, 3, H, W] of type " + params.dataType()
                    + ", but were " + Arrays.toString(images.shape()) + " of type " + images.dataType());
        }
        policy.beginPass(mode);
        // all releases before any allocation of the pass, so that buffers freed late in the network serve early ops
        for (Nb201Cell cell : cells) {
            cell.releaseUnusedCandidates();
        }
        INDArray h = images;
        for (Layer layer : layers) {
            h = layer.forward(h, mode);
        }
        return h;
    }

    /**
     * Back-propagates through the last forward pass, writing the gradients of every parameter that took part.
     *
     * @param gradLogits gradient of the loss with respect to the logits
     * @return the gradient of the loss with respect to the images, owned by the network
     */
    public INDArray backward(INDArray gradLogits) {
        INDArray g = gradLogits;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        policy.endBackward();
        releaseStemAndHead();
        return g;
    }

    /** Pools the head's buffers and the stem's output; the stem keeps the rest (backward returns its gradient). */
    private void releaseStemAndHead() {
        head.releaseBuffers(pool);
        stem.releaseOutput(pool);
    }

    /** Builder of {@link Nb201Network}; each setter validates its argument at once. */
    public static final class Builder {
        private int channels = 16;
        private int cells = 5;
        private int classes = 10;
        private DataType dataType = DataType.FLOAT;
        private long seed;
        private PathPolicy.Factory policy;
        private Nb201Architecture standalone;

        private Builder() {
        }

        /** Channels C of the first stage, >= 1; default 16. */
        public Builder channels(int channels) {
            this.channels = atLeastOne("channels", channels);
            return this;
        }

        /** Cells N per stage, >= 1; default 5. */
        public Builder cells(int cells) {
            this.cells = atLeastOne("cells", cells);
            return this;
        }

        /** Number of classes, >= 1; default 10. */
        public Builder classes(int classes) {
            this.classes = atLeastOne("classes", classes);
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

        /** Seed of the initial weights (and of nothing else); default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A supernet: every edge holds all five ops, combined by the given policy. */
        public Builder supernet(PathPolicy.Factory policy) {
            if (policy == null) {
                throw new IllegalArgumentException("policy must not be null");
            }
            this.policy = policy;
            this.standalone = null;
            return this;
        }

        /** The stand-alone network of one architecture: only its ops are instantiated. */
        public Builder standalone(Nb201Architecture architecture) {
            if (architecture == null) {
                throw new IllegalArgumentException("architecture must not be null");
            }
            this.standalone = architecture;
            this.policy = PathPolicies.fixed(architecture.indices());
            return this;
        }

        /** Builds the layers, declares and initializes the parameters. */
        public Nb201Network build() {
            if (policy == null) {
                throw new IllegalStateException("choose supernet(policy) or standalone(architecture) before build()");
            }
            return new Nb201Network(this);
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, but was " + value);
            }
            return value;
        }
    }
}
