package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.ProgressiveSpace;
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
 * <p><b>Progressive cells (PNAS).</b> With {@link Builder#progressive(boolean) progressive(true)} the number of
 * blocks b (intermediate nodes) of the cells is the last choice, {@code "blocks"}, in [1, nodes], one count for both
 * cells; a b-block architecture's genotype, text, graphs and networks have b nodes, and the choices of the absent
 * blocks must be option 0 ({@link #isValid}; {@link #canonical}) so that each network has one vector and its text
 * reads back to it. {@link Builder#sharedCell(boolean) sharedCell(true)} makes the reduction cell the normal cell at
 * stride 2, as in PNAS. Such a space is a {@link ProgressiveSpace}: {@link #oneBlockArchitectures()} (136 in
 * {@link #pnasProgressive()}, the paper's |B_1|) and {@link #expansions}. Without the option every architecture has
 * {@link #nodes()} blocks and there are no expansions.
 *
 * <p>{@link #format} writes the DARTS genotype text and {@link #parse} reads it (a genotype must have this space's
 * node count, ops and concat rule). {@link #cells} gives the normal and reduce graphs: node ids 0 and 1 are the
 * inputs, then the intermediate nodes (sum), last the output (concat); in the reduce graph the ops on edges from
 * nodes 0 and 1 have stride 2.
 *
 * <pre>{@code
 * DartsSpace space = DartsSpace.darts();                       // 4 nodes, DARTS ops
 * Architecture a = space.parse(Genotypes.DARTS_V2.toString());
 * DartsCostModel net = DartsCostModel.cifar(space.genotype(a)).build();
 * DartsSpace custom = DartsSpace.builder().nodes(5).ops(OpSet.PNAS).build();
 * }</pre>
 */
public final class DartsSpace implements ProgressiveSpace {
    private static final CellType[] TYPES = {CellType.NORMAL, CellType.REDUCE};
    /** The label of the choices of the one cell of a space with {@link Builder#sharedCell(boolean) sharedCell}. */
    private static final String SHARED_LABEL = "cell";

    private final int nodes;
    private final List<String> ops;
    private final boolean includeNone;
    private final boolean distinctInputs;
    private final ConcatRule concat;
    private final boolean progressive;
    private final boolean sharedCell;
    private final BlockLayout layout;
    private final List<Choice> choices;
    private final Configuration configuration;
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
        this.progressive = b.progressive;
        this.sharedCell = b.sharedCell;
        this.layout = new BlockLayout(nodes, sharedCell ? 1 : 2, ops.size(), distinctInputs, progressive);
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < cellCount(); c++) {
            labels.add(cellLabel(c));
        }
        this.choices = layout.choices(labels, ops);
        this.configuration = Configuration.of("darts").with("nodes", nodes).with("ops", ops)
                .with("distinctInputs", distinctInputs).with("concat", concat).with("progressive", progressive)
                .with("sharedCell", sharedCell);
        this.identity = configuration.toString();
    }

    /** The number of cells with choices of their own: 1 with a shared cell, else 2 (normal, reduce). */
    private int cellCount() {
        return sharedCell ? 1 : 2;
    }

    private String cellLabel(int cell) {
        return sharedCell ? SHARED_LABEL : TYPES[cell].label();
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
        return pnasBuilder().build();
    }

    /**
     * The space progressive PNAS searches: {@link #pnas()} with cells of 1 to 5 blocks
     * ({@link Builder#progressive(boolean) progressive}) and, as in the paper, one cell used as the normal cell and,
     * at stride 2, as the reduction cell ({@link Builder#sharedCell(boolean) sharedCell}). It has exactly 136
     * distinct 1-block cells, the paper's {@code |B_1|}.
     */
    public static DartsSpace pnasProgressive() {
        return pnasBuilder().progressive(true).sharedCell(true).build();
    }

    private static Builder pnasBuilder() {
        return builder().nodes(5).ops(OpSet.PNAS).distinctInputs(false).concat(ConcatRule.UNUSED_INTERMEDIATE);
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

    /** Whether cells have a chosen number of blocks in [1, {@link #nodes()}] (else always {@link #nodes()}). */
    public boolean progressive() {
        return progressive;
    }

    /** Whether the reduction cell is the normal cell (at stride 2), so only one cell is chosen. */
    public boolean sharedCell() {
        return sharedCell;
    }

    /** The settings: nodes, ops (with {@code none} where included), input and concatenation rules, layout. */
    public Configuration configuration() {
        return configuration;
    }

    @Override
    public String name() {
        return "darts";
    }

    /** The text of {@link #configuration()}. */
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
        int b = blocks(architecture);
        List<List<Genotype.Pair>> cells = new ArrayList<>();
        for (int c = 0; c < cellCount(); c++) {
            List<Genotype.Pair> pairs = new ArrayList<>();
            for (int i = layout.base(c, 0); i < layout.base(c, b); i += 2) {
                pairs.add(new Genotype.Pair(architecture.option(i + 1), Integer.parseInt(architecture.option(i))));
            }
            cells.add(pairs);
        }
        List<Genotype.Pair> reduce = cells.get(cellCount() - 1);
        return new Genotype(cells.get(0), concat.concat(cells.get(0)), reduce, concat.concat(reduce));
    }

    /**
     * The architecture of {@code genotype}; an exception naming the mismatch if the genotype has another node
     * count (in a progressive space: a count outside [1, nodes] or different in the two cells), an op outside this
     * space, a concat list other than this space's rule gives, or (with a shared cell) two different cells. The
     * choices of absent blocks are option 0.
     */
    public Architecture architecture(Genotype genotype) {
        Objects.requireNonNull(genotype, "genotype");
        Architecture a = Architecture.of(this, new GenotypeReader(this, layout).vector(genotype));
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
            int b = g.nodes(type);
            for (int n = 2; n < b + 2; n++) {
                ns.add(Graph.Node.sum(n));
            }
            int output = b + 2;
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

    /**
     * Whether every present node reads two different states where the space requires it and, in a progressive
     * space, the choices of absent blocks are option 0 (see {@link #canonical}).
     */
    @Override
    public boolean isValid(Architecture architecture) {
        checkOwn(architecture);
        return layout.valid(architecture.vector());
    }

    /**
     * The cells' nodes with the two pairs of each sorted; absent blocks do not take part, so vectors that differ
     * only there have the same key.
     */
    @Override
    public String canonicalKey(Architecture architecture) {
        Genotype g = genotype(architecture);
        StringBuilder key = new StringBuilder();
        for (int c = 0; c < cellCount(); c++) {
            CellType type = TYPES[c];
            key.append(cellLabel(c)).append(':');
            List<Genotype.Pair> pairs = g.pairs(type);
            for (int p = 0; p < pairs.size(); p += 2) {
                List<String> two = new ArrayList<>(List.of(pairs.get(p).op() + "~" + pairs.get(p).input(),
                        pairs.get(p + 1).op() + "~" + pairs.get(p + 1).input()));
                Collections.sort(two);
                key.append(p == 0 ? "" : "|").append(two.get(0)).append('+').append(two.get(1));
            }
            key.append(c + 1 < cellCount() ? ";" : "");
        }
        return key.toString();
    }

    /**
     * Uniform over valid architectures: each node's first input is uniform over the earlier states and, with
     * distinct inputs, its second input uniform over the others (validity is per node, so this is the same
     * distribution as rejection sampling, without the rejections). In a progressive space the block count is
     * first drawn uniformly from [1, nodes] (so small cells are not drowned by the many large ones), then the present
     * nodes as above; absent blocks are canonical (option 0).
     */
    @Override
    public Architecture sample(RandomGenerator rng) {
        return Architecture.of(this, layout.sample(rng));
    }

    /**
     * In a progressive space: one present choice set to another option, or the block count changed (a grown cell
     * gets uniformly sampled new nodes, a shrunk one loses its last nodes), picked uniformly among those; the
     * child is canonical, so it always differs from the parent as a network. Otherwise the generic mutation.
     */
    @Override
    public Architecture mutate(Architecture parent, RandomGenerator rng) {
        if (!progressive) {
            return ProgressiveSpace.super.mutate(parent, rng);
        }
        checkOwn(parent);
        int[] child = layout.mutate(parent.vector(), rng, MAX_ATTEMPTS);
        if (child == null) {
            throw new IllegalStateException("no valid mutation of " + parent + " found in " + MAX_ATTEMPTS
                    + " attempts");
        }
        return Architecture.of(this, child);
    }

    /**
     * The generic neighbours (one choice changed); in a progressive space each made {@link #canonical} (a smaller
     * block count drops the last nodes, a larger one adds nodes at option 0), kept when valid, one per key, without
     * those that are the same network as {@code center}.
     */
    @Override
    public List<Architecture> neighbours(Architecture center) {
        if (!progressive) {
            return ProgressiveSpace.super.neighbours(center);
        }
        checkOwn(center);
        Map<String, Architecture> unique = new LinkedHashMap<>();
        for (int i = 0; i < choices.size(); i++) {
            for (int o = 0; o < choices.get(i).size(); o++) {
                Architecture c = canonical(center.with(i, o));
                if (o != center.index(i) && isValid(c) && !c.key().equals(center.key())) {
                    unique.putIfAbsent(c.key(), c);
                }
            }
        }
        return List.copyOf(unique.values());
    }

    /**
     * {@code architecture} with the choices of its absent blocks at option 0: the same network as the only vector of
     * it that is a member of this progressive space ({@link #isValid}); {@code architecture} itself otherwise.
     */
    public Architecture canonical(Architecture architecture) {
        checkOwn(architecture);
        return progressive ? Architecture.of(this, layout.canonicalise(architecture.vector())) : architecture;
    }

    /** The chosen block count in a progressive space, else {@link #nodes()}. */
    @Override
    public int blocks(Architecture architecture) {
        checkOwn(architecture);
        return layout.blocks(architecture.vector());
    }

    /** {@link #nodes()}. */
    @Override
    public int maxBlocks() {
        return nodes;
    }

    /**
     * Every architecture with one node more in each cell (the same new node in both when the cell is shared), the
     * existing nodes kept, one per key; empty unless the space is progressive and {@code architecture} has fewer
     * than {@link #nodes()} blocks.
     */
    @Override
    public List<Architecture> expansions(Architecture architecture) {
        checkOwn(architecture);
        return architectures(layout.expansions(architecture.vector()));
    }

    @Override
    public long expansionCount(Architecture architecture) {
        checkOwn(architecture);
        return layout.expansionCount(architecture.vector());
    }

    @Override
    public Architecture randomExpansion(Architecture architecture, RandomGenerator rng) {
        checkOwn(architecture);
        int[] v = layout.randomExpansion(architecture.vector(), rng);
        if (v == null) {
            throw new IllegalArgumentException("architecture has no expansion: it has " + blocks(architecture)
                    + " blocks in a space of " + (progressive ? "at most " : "always ") + nodes + ": " + architecture);
        }
        return Architecture.of(this, v);
    }

    /**
     * Every 1-block architecture, one per key: with a shared cell of 8 ops and inputs that may repeat, the 136
     * cells of PNAS's first level; with two cells, every pair of such cells. Empty unless the space is progressive
     * or has 1 node.
     */
    @Override
    public List<Architecture> oneBlockArchitectures() {
        return architectures(layout.oneBlock());
    }

    private List<Architecture> architectures(List<int[]> vectors) {
        List<Architecture> out = new ArrayList<>(vectors.size());
        for (int[] v : vectors) {
            out.add(Architecture.of(this, v));
        }
        return out;
    }

    private void checkOwn(Architecture architecture) {
        Objects.requireNonNull(architecture, "architecture");
        if (!architecture.space().identity().equals(identity())) {
            throw new IllegalArgumentException("architecture must belong to space " + identity() + ", but belonged to "
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
        private boolean progressive;
        private boolean sharedCell;

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

        /**
         * Whether the number of blocks (intermediate nodes) of the cells is a choice in [1, nodes], as in PNAS's
         * progressive search; default false (always {@code nodes}). One count holds for both cells: PNAS grows one
         * cell structure level by level. Adds the {@code VALUE} choice {@code "blocks"} (options {@code "1" ..})
         * at the end of the choice vector.
         */
        public Builder progressive(boolean progressive) {
            this.progressive = progressive;
            return this;
        }

        /**
         * Whether the reduction cell is the normal cell applied at stride 2, as in PNAS, so that only one cell is
         * chosen (choices named {@code "cell node 2 input 0"}); default false (NASNet, DARTS: two cells).
         */
        public Builder sharedCell(boolean sharedCell) {
            this.sharedCell = sharedCell;
            return this;
        }

        /** The space. */
        public DartsSpace build() {
            return new DartsSpace(this);
        }
    }
}
