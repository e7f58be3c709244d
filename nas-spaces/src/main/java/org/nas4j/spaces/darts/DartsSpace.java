package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/**
 * The NASNet / DARTS cell space: a normal and a reduction cell, each with two inputs (the outputs of the two
 * previous cells, states 0 and 1) and B intermediate nodes; node {@code i} (state {@code 2 + i}) sums two
 * (operation, input) pairs whose inputs are earlier states. The cell output concatenates the intermediate nodes
 * ({@link ConcatRule}). Immutable and thread-safe.
 *
 * <p><b>Choice vector.</b> For each cell type (normal, then reduce), each node, and each of its two slots: an
 * {@link Choice.Kind#INPUT} choice named {@code "normal node 2 input 0"} with options {@code "0" .. "<node-1>"}, then
 * an {@link Choice.Kind#OPERATION} choice named {@code "normal node 2 op 0"} over the op set.
 *
 * <p><b>Same input twice.</b> With {@link Builder#distinctInputs(boolean) distinctInputs} (the default, as DARTS
 * derives its cells: the two strongest edges come from distinct nodes) a node whose two slots read the same state
 * is not valid; the published DARTS, P-DARTS and PC-DARTS cells satisfy it. NASNet's controller picks the two
 * inputs independently and NASNet-A reads state 0 twice in one node, so {@link #nasnet()} and {@link #pnas()}
 * allow it.
 *
 * <p><b>Canonical key.</b> A node's sum is commutative, so the key treats the two (op, input) pairs of a node as
 * unordered: swapping them gives the same key. Other isomorphisms (renumbering nodes) are not folded.
 *
 * <p><b>{@code none}.</b> The zero op belongs to the DARTS supernet, not to sampled cells; it is an option only
 * with {@link Builder#includeNone(boolean) includeNone(true)} (off by default).
 *
 * <p>{@link #format} writes the DARTS genotype text and {@link #parse} reads it (a genotype must have this space's
 * node count, ops and concat rule). {@link #cells} gives the normal and reduce graphs: node ids 0 and 1 are the
 * inputs, then the intermediate nodes (sum), last the output (concat); in the reduce graph the ops on edges from
 * nodes 0 and 1 have stride 2.
 *
 * <pre>{@code
 * DartsSpace space = DartsSpace.darts();                       // 4 nodes, DARTS ops
 * Architecture a = space.parse(Genotypes.DARTS_V2.toString());
 * DartsNetwork net = DartsNetwork.cifar(space.genotype(a)).build();
 * DartsSpace custom = DartsSpace.builder().nodes(5).ops(OpSet.PNAS).build();
 * }</pre>
 */
public final class DartsSpace implements SearchSpace {
    private static final CellType[] TYPES = {CellType.NORMAL, CellType.REDUCE};

    private final int nodes;
    private final List<String> ops;
    private final boolean includeNone;
    private final boolean distinctInputs;
    private final ConcatRule concat;
    private final List<Choice> choices;
    private final String identity;

    private DartsSpace(Builder b) {
        this.nodes = b.nodes;
        List<String> options = new ArrayList<>();
        if (b.includeNone) {
            options.add(DartsOps.NONE);
        }
        options.addAll(b.ops);
        this.ops = List.copyOf(options);
        this.includeNone = b.includeNone;
        this.distinctInputs = b.distinctInputs;
        this.concat = b.concat;
        List<Choice> cs = new ArrayList<>();
        for (CellType type : TYPES) {
            for (int node = 2; node < nodes + 2; node++) {
                List<String> inputs = new ArrayList<>();
                for (int s = 0; s < node; s++) {
                    inputs.add(Integer.toString(s));
                }
                for (int slot = 0; slot < 2; slot++) {
                    cs.add(Choice.of(inputName(type, node, slot), Choice.Kind.INPUT, inputs));
                    cs.add(Choice.of(opName(type, node, slot), Choice.Kind.OPERATION, ops));
                }
            }
        }
        this.choices = List.copyOf(cs);
        this.identity = "darts(nodes=" + nodes + ", ops=" + ops + ", distinctInputs=" + distinctInputs + ", concat="
                + concat + ")";
    }

    private static String inputName(CellType type, int node, int slot) {
        return type.label() + " node " + node + " input " + slot;
    }

    private static String opName(CellType type, int node, int slot) {
        return type.label() + " node " + node + " op " + slot;
    }

    /** The DARTS search space for multi-trial search: 4 nodes, the DARTS ops without none, distinct inputs. */
    public static DartsSpace darts() {
        return builder().build();
    }

    /** The NASNet space: 5 nodes, the 13 NASNet ops, inputs may repeat, unused nodes concatenated. */
    public static DartsSpace nasnet() {
        return builder().nodes(5).ops(OpSet.NASNET).distinctInputs(false).concat(ConcatRule.UNUSED_INTERMEDIATE)
                .build();
    }

    /** The PNAS space: 5 nodes, the 8 PNAS ops, inputs may repeat, unused nodes concatenated. */
    public static DartsSpace pnas() {
        return builder().nodes(5).ops(OpSet.PNAS).distinctInputs(false).concat(ConcatRule.UNUSED_INTERMEDIATE)
                .build();
    }

    /** A builder with the defaults of {@link #darts()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of intermediate nodes per cell. */
    public int nodes() {
        return nodes;
    }

    /** The operation options of every op choice ({@code none} first when included). */
    public List<String> ops() {
        return ops;
    }

    /** Whether {@code none} is an option. */
    public boolean includesNone() {
        return includeNone;
    }

    /** Whether the two inputs of a node must differ. */
    public boolean distinctInputs() {
        return distinctInputs;
    }

    /** Which states the cells concatenate. */
    public ConcatRule concatRule() {
        return concat;
    }

    @Override
    public String name() {
        return "darts";
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public List<Choice> choices() {
        return choices;
    }

    /** The genotype of {@code architecture}. */
    public Genotype genotype(Architecture architecture) {
        checkOwn(architecture);
        List<List<Genotype.Pair>> cells = new ArrayList<>();
        int i = 0;
        for (CellType type : TYPES) {
            List<Genotype.Pair> pairs = new ArrayList<>();
            for (int k = 0; k < 2 * nodes; k++) {
                int input = Integer.parseInt(architecture.option(i++));
                pairs.add(new Genotype.Pair(architecture.option(i++), input));
            }
            cells.add(pairs);
        }
        return new Genotype(cells.get(0), concat.concat(cells.get(0)), cells.get(1), concat.concat(cells.get(1)));
    }

    /**
     * The architecture of {@code genotype}; an exception naming the mismatch if the genotype has another node
     * count, an op outside this space or a concat list other than this space's rule gives.
     */
    public Architecture architecture(Genotype genotype) {
        Objects.requireNonNull(genotype, "genotype");
        int[] v = new int[choices.size()];
        int i = 0;
        for (CellType type : TYPES) {
            if (genotype.nodes(type) != nodes) {
                throw new IllegalArgumentException("the " + type.label() + " cell of the genotype must have " + nodes
                        + " nodes (" + 2 * nodes + " pairs) in this space, but had " + genotype.nodes(type));
            }
            List<Genotype.Pair> pairs = genotype.pairs(type);
            List<Integer> expected = concat.concat(pairs);
            if (!expected.equals(genotype.concat(type))) {
                throw new IllegalArgumentException(type.label() + "_concat of the genotype must be " + expected
                        + " under the concat rule " + concat + " of this space, but was " + genotype.concat(type));
            }
            for (Genotype.Pair p : pairs) {
                v[i] = choices.get(i).indexOf(Integer.toString(p.input()));
                i++;
                if (!ops.contains(p.op())) {
                    throw new IllegalArgumentException("operation '" + p.op() + "' of the " + type.label()
                            + " cell is not in this space; its operations: " + ops);
                }
                v[i] = choices.get(i).indexOf(p.op());
                i++;
            }
        }
        Architecture a = Architecture.of(this, v);
        if (!isValid(a)) {
            throw new IllegalArgumentException("the genotype reads the same state twice in one node, which this space"
                    + " forbids (distinctInputs=true): " + genotype);
        }
        return a;
    }

    @Override
    public String format(Architecture architecture) {
        return genotype(architecture).toString();
    }

    @Override
    public Architecture parse(String text) {
        return architecture(Genotype.parse(text));
    }

    @Override
    public List<Graph> cells(Architecture architecture) {
        Genotype g = genotype(architecture);
        List<Graph> out = new ArrayList<>();
        for (CellType type : TYPES) {
            List<Graph.Node> ns = new ArrayList<>();
            ns.add(Graph.Node.input(0));
            ns.add(Graph.Node.input(1));
            for (int n = 2; n < nodes + 2; n++) {
                ns.add(Graph.Node.sum(n));
            }
            int output = nodes + 2;
            ns.add(new Graph.Node(output, "identity", Graph.Combine.CONCAT));
            List<Graph.Edge> edges = new ArrayList<>();
            List<Genotype.Pair> pairs = g.pairs(type);
            for (int p = 0; p < pairs.size(); p++) {
                edges.add(new Graph.Edge(pairs.get(p).input(), 2 + p / 2, pairs.get(p).op()));
            }
            for (int s : g.concat(type)) {
                edges.add(new Graph.Edge(s, output, "identity"));
            }
            out.add(new Graph(type.label(), ns, edges));
        }
        return out;
    }

    @Override
    public boolean isValid(Architecture architecture) {
        checkOwn(architecture);
        if (!distinctInputs) {
            return true;
        }
        for (int i = 0; i < architecture.size(); i += 4) {
            if (architecture.index(i) == architecture.index(i + 2)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String canonicalKey(Architecture architecture) {
        Genotype g = genotype(architecture);
        StringBuilder key = new StringBuilder();
        for (CellType type : TYPES) {
            key.append(type.label()).append(':');
            List<Genotype.Pair> pairs = g.pairs(type);
            for (int p = 0; p < pairs.size(); p += 2) {
                List<String> two = new ArrayList<>(List.of(pairs.get(p).op() + "~" + pairs.get(p).input(),
                        pairs.get(p + 1).op() + "~" + pairs.get(p + 1).input()));
                Collections.sort(two);
                key.append(p == 0 ? "" : "|").append(two.get(0)).append('+').append(two.get(1));
            }
            key.append(type == CellType.NORMAL ? ";" : "");
        }
        return key.toString();
    }

    /**
     * Uniform over valid architectures: each node's first input is uniform over the earlier states and, with
     * distinct inputs, its second input uniform over the others (validity is per node, so this is the same
     * distribution as rejection sampling, without the rejections).
     */
    @Override
    public Architecture sample(RandomGenerator rng) {
        int[] v = new int[choices.size()];
        for (int i = 0; i < v.length; i += 4) {
            int states = choices.get(i).size();
            v[i] = rng.nextInt(states);
            v[i + 1] = rng.nextInt(ops.size());
            if (distinctInputs) {
                int second = rng.nextInt(states - 1);
                v[i + 2] = second >= v[i] ? second + 1 : second;
            } else {
                v[i + 2] = rng.nextInt(states);
            }
            v[i + 3] = rng.nextInt(ops.size());
        }
        return Architecture.of(this, v);
    }

    private void checkOwn(Architecture architecture) {
        Objects.requireNonNull(architecture, "architecture");
        if (!architecture.space().identity().equals(identity)) {
            throw new IllegalArgumentException("architecture must belong to space " + identity + ", but belonged to "
                    + architecture.space().identity());
        }
    }

    @Override
    public String toString() {
        return identity;
    }

    /**
     * Builds a {@link DartsSpace}; every setter validates at once and states its default.
     */
    public static final class Builder {
        private int nodes = 4;
        private List<String> ops = OpSet.DARTS.ops();
        private boolean includeNone;
        private boolean distinctInputs = true;
        private ConcatRule concat = ConcatRule.ALL_INTERMEDIATE;

        private Builder() {
        }

        /** Intermediate nodes per cell, in [1, 16]; default 4 (DARTS); NASNet and PNAS use 5. */
        public Builder nodes(int nodes) {
            if (nodes < 1 || nodes > 16) {
                throw new IllegalArgumentException("nodes must be in [1, 16], but was " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** The operation set; default {@link OpSet#DARTS}. */
        public Builder ops(OpSet set) {
            this.ops = Objects.requireNonNull(set, "set").ops();
            return this;
        }

        /**
         * A custom operation set: distinct names known to {@link DartsOps}, without {@code none} (see
         * {@link #includeNone}); default the {@link OpSet#DARTS} ops.
         */
        public Builder ops(List<String> ops) {
            Objects.requireNonNull(ops, "ops");
            if (ops.isEmpty()) {
                throw new IllegalArgumentException("ops must not be empty");
            }
            for (String op : ops) {
                if (DartsOps.NONE.equals(op)) {
                    throw new IllegalArgumentException("ops must not contain 'none'; use includeNone(true), but was "
                            + ops);
                }
                if (op == null || !DartsOps.isKnown(op)) {
                    throw new IllegalArgumentException("unknown operation '" + op + "' in ops " + ops
                            + "; known operations: " + DartsOps.names());
                }
            }
            if (ops.stream().distinct().count() != ops.size()) {
                throw new IllegalArgumentException("ops must be distinct, but were " + ops);
            }
            this.ops = List.copyOf(ops);
            return this;
        }

        /**
         * Whether {@code none} is an option of every op choice (the DARTS supernet's candidate set); default false,
         * so multi-trial sampling never proposes it.
         */
        public Builder includeNone(boolean includeNone) {
            this.includeNone = includeNone;
            return this;
        }

        /** Whether a node's two inputs must be different states; default true (DARTS). */
        public Builder distinctInputs(boolean distinctInputs) {
            this.distinctInputs = distinctInputs;
            return this;
        }

        /** Which states the cell output concatenates; default {@link ConcatRule#ALL_INTERMEDIATE}. */
        public Builder concat(ConcatRule concat) {
            this.concat = Objects.requireNonNull(concat, "concat");
            return this;
        }

        /** The space. */
        public DartsSpace build() {
            return new DartsSpace(this);
        }
    }
}
