package org.nas4j.spaces.nasbench201;

import static org.nas4j.core.config.Require.atLeast;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedForm;

/**
 * The NAS-Bench-201 cell space (Dong and Yang, ICLR 2020): a cell of 4 nodes where every node {@code j} sums
 * the outputs of one op on each edge from every earlier node {@code i}: 6 edges, each picking one of
 * {@code none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3}: 5^6 = 15,625 cells, 6,466 unique up to
 * isomorphism. Its readable form is the benchmark's arch string, e.g.
 * {@code |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|}.
 *
 * <p>The network around the cell ({@link NasBench201CostModel}): stem, 3 stages of {@code cellsPerStage} cells at
 * C, 2C, 4C channels separated by residual reduction blocks, head. Immutable and thread-safe.
 *
 * <pre>{@code
 * NasBench201Space space = NasBench201Space.builder().channels(16).cellsPerStage(5).build();
 * Architecture a = space.parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
 * long params = space.network().parameters(a);
 * }</pre>
 */
public final class NasBench201Space implements SearchSpace {
    /** The five candidate ops, in the benchmark's order. */
    public static final List<String> OPS = List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
            "avg_pool_3x3");
    /** The number of nodes of a cell (node 0 is the input, node 3 the output). */
    public static final int NODES = 4;

    private static final List<Choice> CHOICES = edgeChoices();
    private final NasBench201CostModel network;
    private final String identity;
    /** Made on first use: most uses of the space (tables, strategies) never compile a network. */
    private volatile ComposedForm form;

    private NasBench201Space(NasBench201CostModel network) {
        this.network = network;
        this.identity = configuration().toString();
    }

    /** The benchmark's configuration: C=16, N=5, 10 classes. */
    public static NasBench201Space standard() {
        return builder().build();
    }

    /** A builder with the benchmark's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The network skeleton around the cell, for parameter and FLOP counts. */
    public NasBench201CostModel network() {
        return network;
    }

    @Override
    public String name() {
        return "nas-bench-201";
    }

    /** The settings: the network skeleton's sizes (channels, cells per stage, classes, image shape). */
    public Configuration configuration() {
        return Configuration.of(name()).with("C", network.channels()).with("N", network.cellsPerStage())
                .with("classes", network.classes()).with("inputChannels", network.inputChannels())
                .with("imageSize", network.imageSize());
    }

    /** The text of {@link #configuration()}, e.g. {@code nas-bench-201(C=16, N=5, classes=10, ...)}. */
    @Override
    public String identity() {
        return identity;
    }

    /**
     * {@link NasBench201Definition#of} this space (same channels, cells per stage, classes and image), with the
     * same choice vector: what {@code NetworkCompiler} compiles NAS-Bench-201 networks and supernets from.
     */
    @Override
    public Optional<ComposedForm> composedForm() {
        ComposedForm f = form;
        if (f == null) {
            f = ComposedForm.sameChoices(this, NasBench201Definition.of(this));
            form = f;
        }
        return Optional.of(f);
    }

    @Override
    public List<Choice> choices() {
        return CHOICES;
    }

    /** The index in the choice vector of edge {@code from -> to}. */
    public static int edgeIndex(int from, int to) {
        if (from < 0 || to <= from || to >= NODES) {
            throw new IllegalArgumentException("edge must satisfy 0 <= from < to < " + NODES + ", but was "
                    + from + " -> " + to);
        }
        return to * (to - 1) / 2 + from;
    }

    @Override
    public String format(Architecture a) {
        StringBuilder s = new StringBuilder();
        for (int to = 1; to < NODES; to++) {
            if (to > 1) {
                s.append('+');
            }
            s.append('|');
            for (int from = 0; from < to; from++) {
                s.append(a.option(edgeIndex(from, to))).append('~').append(from).append('|');
            }
        }
        return s.toString();
    }

    @Override
    public Architecture parse(String text) {
        return Architecture.of(this, ArchStrings.parse(text));
    }

    @Override
    public List<Graph> cells(Architecture a) {
        List<Graph.Node> nodes = new ArrayList<>();
        nodes.add(Graph.Node.input(0));
        for (int j = 1; j < NODES; j++) {
            nodes.add(Graph.Node.sum(j));
        }
        List<Graph.Edge> edges = new ArrayList<>();
        for (int to = 1; to < NODES; to++) {
            for (int from = 0; from < to; from++) {
                edges.add(new Graph.Edge(from, to, a.option(edgeIndex(from, to))));
            }
        }
        return List.of(new Graph("cell", nodes, edges));
    }

    /**
     * The cell's computation as a normalised expression, following the benchmark's own rule for unique cells
     * (zero ops considered): each incoming edge gives a term, {@code #} for a zero op or a zero input, the input's
     * expression for a skip connection, {@code (input)@op} otherwise; a node is the sorted {@code +}-join of its
     * terms. As in the benchmark, only a node with a single zero term counts as zero downstream (a sum of zero
     * terms does not), which gives exactly 6,466 distinct keys over the 15,625 cells.
     */
    @Override
    public String canonicalKey(Architecture a) {
        String[] expr = new String[NODES];
        expr[0] = "0";
        for (int to = 1; to < NODES; to++) {
            List<String> terms = new ArrayList<>();
            for (int from = 0; from < to; from++) {
                String op = a.option(edgeIndex(from, to));
                if (op.equals("none") || expr[from].equals("#")) {
                    terms.add("#");
                } else if (op.equals("skip_connect")) {
                    terms.add(expr[from]);
                } else {
                    terms.add("(" + expr[from] + ")@" + op);
                }
            }
            terms.sort(null);
            expr[to] = String.join("+", terms);
        }
        return expr[NODES - 1];
    }

    private static List<Choice> edgeChoices() {
        List<Choice> c = new ArrayList<>();
        for (int to = 1; to < NODES; to++) {
            for (int from = 0; from < to; from++) {
                c.add(Choice.of("edge " + to + "<-" + from, Choice.Kind.OPERATION, OPS));
            }
        }
        return List.copyOf(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NasBench201Space s && s.identity().equals(identity());
    }

    @Override
    public int hashCode() {
        return identity().hashCode();
    }

    @Override
    public String toString() {
        return identity();
    }

    /** Builds a {@link NasBench201Space}. */
    public static final class Builder {
        private int channels = 16;
        private int cellsPerStage = 5;
        private int classes = 10;
        private int inputChannels = 3;
        private int imageSize = 32;

        private Builder() {
        }

        /** Channels C of the first stage, >= 1. Default 16. */
        public Builder channels(int c) {
            this.channels = atLeast("channels", c, 1);
            return this;
        }

        /** Cells N per stage, >= 1. Default 5. */
        public Builder cellsPerStage(int n) {
            this.cellsPerStage = atLeast("cellsPerStage", n, 1);
            return this;
        }

        /** Output classes, >= 2. Default 10. */
        public Builder classes(int k) {
            if (k < 2) {
                throw new IllegalArgumentException("classes must be >= 2, but was " + k);
            }
            this.classes = k;
            return this;
        }

        /** Channels of the input image, >= 1. Default 3. */
        public Builder inputChannels(int c) {
            this.inputChannels = atLeast("inputChannels", c, 1);
            return this;
        }

        /** Height and width of the input image, >= 4. Default 32. */
        public Builder imageSize(int s) {
            if (s < 4) {
                throw new IllegalArgumentException("imageSize must be >= 4, but was " + s);
            }
            this.imageSize = s;
            return this;
        }

        public NasBench201Space build() {
            return new NasBench201Space(new NasBench201CostModel(channels, cellsPerStage, classes, inputChannels,
                    imageSize));
        }
    }
}
