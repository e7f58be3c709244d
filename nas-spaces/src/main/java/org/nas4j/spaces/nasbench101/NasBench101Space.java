package org.nas4j.spaces.nasbench101;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/**
 * The NAS-Bench-101 search space (Ying et al., 2019): a cell of 7 vertices, input, five interior vertices each
 * with an op from {@link NasBench101Ops#OPERATIONS}, and output, wired by an upper-triangular adjacency matrix;
 * a cell is valid when its input reaches its output and, after pruning the vertices off every input-output
 * path, it has at most 9 edges. Immutable and thread-safe.
 *
 * <p>Choice vector: 21 {@link Choice.Kind#INPUT} choices {@code "edge i->j"} (options {@code "0"}, {@code "1"})
 * for the upper triangle in row-major order (0->1, 0->2, ..., 0->6, 1->2, ..., 5->6), then 5
 * {@link Choice.Kind#OPERATION} choices {@code "op 1"} ... {@code "op 5"}. The readable form is the
 * {@link NasBench101Cell} text form, e.g.
 * {@code adjacency=0111010/0000001/0000001/0000100/0000001/0000001/0000000;ops=input|conv1x1-bn-relu|...|output};
 * {@link #parse} also takes smaller matrices (a pruned cell) and places them in the 7-vertex cell. The
 * canonical key is the benchmark's graph hash, equal for isomorphic cells and the key of its table.
 *
 * <pre>{@code
 * NasBench101Space space = NasBench101Space.create();
 * Architecture a = space.sample(rng);
 * Architecture child = space.mutate(a, rng);        // the paper's regularized-evolution mutation
 * String hash = a.key();                            // e.g. "28cfc7874f6d200472e1a9dcd8650aa0"
 * long params = space.parameters(a);                // trainable parameters of the benchmark's network
 * }</pre>
 */
public final class NasBench101Space implements SearchSpace {
    /** Vertices of the cell, input and output included. */
    public static final int VERTICES = NasBench101Cell.MAX_VERTICES;
    private static final int EDGE_CHOICES = VERTICES * (VERTICES - 1) / 2;
    private static final int OP_SPOTS = VERTICES - 2;
    private static final int[] FROM = new int[EDGE_CHOICES];
    private static final int[] TO = new int[EDGE_CHOICES];
    private static final List<Choice> CHOICES;

    static {
        List<Choice> choices = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < VERTICES; i++) {
            for (int j = i + 1; j < VERTICES; j++) {
                FROM[k] = i;
                TO[k] = j;
                k++;
                choices.add(Choice.of("edge " + i + "->" + j, Choice.Kind.INPUT, List.of("0", "1")));
            }
        }
        for (int v = 1; v <= OP_SPOTS; v++) {
            choices.add(Choice.of("op " + v, Choice.Kind.OPERATION, NasBench101Ops.OPERATIONS));
        }
        CHOICES = List.copyOf(choices);
    }

    private final double mutationRate;
    private final String identity;

    private NasBench101Space(double mutationRate) {
        this.mutationRate = mutationRate;
        this.identity = configuration().toString();
    }

    /** The space with the paper's mutation rate 1.0. */
    public static NasBench101Space create() {
        return new NasBench101Space(1.0);
    }

    /**
     * This space with another mutation rate: {@link #mutate} flips each edge with probability {@code rate / 7}
     * and changes each op with probability {@code rate / 5}. Default 1.0 (the paper's).
     *
     * @throws IllegalArgumentException unless {@code rate} is in (0, 5]
     */
    public NasBench101Space withMutationRate(double rate) {
        if (!(rate > 0 && rate <= OP_SPOTS)) {
            throw new IllegalArgumentException("mutationRate must be in (0, " + OP_SPOTS + "], but was " + rate);
        }
        return new NasBench101Space(rate);
    }

    /** The mutation rate (default 1.0). */
    public double mutationRate() {
        return mutationRate;
    }

    @Override
    public String name() {
        return "nas-bench-101";
    }

    /** The settings: the cell's limits, its ops and the mutation rate. */
    public Configuration configuration() {
        return Configuration.of(name()).with("vertices", VERTICES).with("maxEdges", NasBench101Cell.MAX_EDGES)
                .with("ops", NasBench101Ops.OPERATIONS).with("mutationRate", mutationRate);
    }

    /** The text of {@link #configuration()}. */
    @Override
    public String identity() {
        return identity;
    }

    @Override
    public List<Choice> choices() {
        return CHOICES;
    }

    /** The cell of {@code architecture}: the 7x7 matrix and the ops as chosen, before pruning. */
    public NasBench101Cell cell(Architecture architecture) {
        checkSpace(architecture);
        return NasBench101Cell.ofRows(rows(architecture), ops(architecture));
    }

    /**
     * The architecture of {@code cell}. A cell of fewer than 7 vertices keeps its vertices, its output moves to
     * vertex 6, and the vertices in between get no edges (so pruning removes them) and op
     * {@value NasBench101Ops#CONV3X3}.
     *
     * @throws IllegalArgumentException if the cell has more than 7 vertices
     */
    public Architecture architecture(NasBench101Cell cell) {
        Objects.requireNonNull(cell, "cell");
        int n = cell.vertexCount();
        if (n > VERTICES) {
            throw new IllegalArgumentException("cell must have at most " + VERTICES + " vertices, but had " + n
                    + ": " + cell);
        }
        int[] place = new int[n];
        for (int v = 0; v < n; v++) {
            place[v] = v == n - 1 ? VERTICES - 1 : v;
        }
        int[] vector = new int[CHOICES.size()];
        for (int k = 0; k < EDGE_CHOICES; k++) {
            int i = indexOf(place, FROM[k]);
            int j = indexOf(place, TO[k]);
            vector[k] = i >= 0 && j >= 0 && cell.hasEdge(i, j) ? 1 : 0;
        }
        for (int v = 1; v <= OP_SPOTS; v++) {
            vector[EDGE_CHOICES + v - 1] = v < n - 1 ? NasBench101Ops.OPERATIONS.indexOf(cell.ops().get(v)) : 0;
        }
        return Architecture.of(this, vector);
    }

    private static int indexOf(int[] place, int vertex) {
        for (int v = 0; v < place.length; v++) {
            if (place[v] == vertex) {
                return v;
            }
        }
        return -1;
    }

    @Override
    public String format(Architecture architecture) {
        return cell(architecture).toString();
    }

    /** Reads the {@link NasBench101Cell} text form (any size up to 7 vertices, see {@link #architecture}). */
    @Override
    public Architecture parse(String text) {
        return architecture(NasBench101Cell.parse(text));
    }

    /** Valid: input connected to output, and after pruning at most 9 edges (the benchmark's {@code is_valid}). */
    @Override
    public boolean isValid(Architecture architecture) {
        checkSpace(architecture);
        return isValidRows(rows(architecture));
    }

    private static boolean isValidRows(int[] rows) {
        int keep = Pruning.keptVertices(rows);
        if (keep == 0) {
            return false;
        }
        int edges = 0;
        for (int v = 0; v < rows.length; v++) {
            if ((keep >>> v & 1) == 1) {
                edges += Integer.bitCount(rows[v] & keep);
            }
        }
        return edges <= NasBench101Cell.MAX_EDGES;
    }

    /**
     * The pruned cell as one graph named {@code "cell"}: node 0 the input, then the kept interior vertices with
     * their op summing their inputs, then the output concatenating its interior inputs (the network builder adds
     * a 1x1 projection of the cell input to it when they are joined, and projects the input on its edges to
     * interior vertices; see {@link NasBench101CostModel}). Edges carry {@code "identity"}.
     *
     * @throws IllegalArgumentException if the input is not connected to the output
     */
    @Override
    public List<Graph> cells(Architecture architecture) {
        NasBench101Cell cell = cell(architecture);
        NasBench101Cell p = cell.pruned().orElseThrow(() -> new IllegalArgumentException(
                "architecture must connect its input to its output, but was " + cell));
        int n = p.vertexCount();
        List<Graph.Node> nodes = new ArrayList<>();
        nodes.add(Graph.Node.input(0));
        for (int v = 1; v < n - 1; v++) {
            nodes.add(new Graph.Node(v, p.ops().get(v), Graph.Combine.SUM));
        }
        nodes.add(new Graph.Node(n - 1, "identity", Graph.Combine.CONCAT));
        List<Graph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (p.hasEdge(i, j)) {
                    edges.add(new Graph.Edge(i, j, "identity"));
                }
            }
        }
        return List.of(new Graph("cell", nodes, edges));
    }

    /** The benchmark's graph hash; for a cell whose input does not reach its output, its text form. */
    @Override
    public String canonicalKey(Architecture architecture) {
        NasBench101Cell cell = cell(architecture);
        return cell.pruned().isPresent() ? cell.hash() : cell.toString();
    }

    /** Trainable parameters of the benchmark's CIFAR-10 network built with {@code architecture}'s cell. */
    public long parameters(Architecture architecture) {
        return NasBench101CostModel.benchmark().parameters(cell(architecture));
    }

    /** Uniform over valid choice vectors, by rejection on bitmasks (about one draw in four is valid). */
    @Override
    public Architecture sample(RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        int[] rows = new int[VERTICES];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int bits = rng.nextInt(1 << EDGE_CHOICES);
            Arrays.fill(rows, 0);
            for (int k = 0; k < EDGE_CHOICES; k++) {
                if ((bits >>> k & 1) == 1) {
                    rows[FROM[k]] |= 1 << TO[k];
                }
            }
            if (isValidRows(rows)) {
                int[] vector = new int[CHOICES.size()];
                for (int k = 0; k < EDGE_CHOICES; k++) {
                    vector[k] = bits >>> k & 1;
                }
                for (int v = 0; v < OP_SPOTS; v++) {
                    vector[EDGE_CHOICES + v] = rng.nextInt(NasBench101Ops.OPERATIONS.size());
                }
                return Architecture.of(this, vector);
            }
        }
        throw new IllegalStateException("no valid architecture of space '" + name() + "' found in " + MAX_ATTEMPTS
                + " samples");
    }

    /**
     * The mutation of the paper's regularized evolution ({@code mutate_spec}): on the unpruned matrix, flip each
     * of the 21 edges with probability {@code mutationRate / 7}, and change each of the 5 ops with probability
     * {@code mutationRate / 5} to one of the other two uniformly; resampled while the child is invalid or has the
     * same choice vector as the parent.
     */
    @Override
    public Architecture mutate(Architecture parent, RandomGenerator rng) {
        checkSpace(parent);
        Objects.requireNonNull(rng, "rng");
        int[] original = parent.vector();
        double edgeProbability = mutationRate / VERTICES;
        double opProbability = mutationRate / OP_SPOTS;
        int[] rows = new int[VERTICES];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] v = original.clone();
            for (int k = 0; k < EDGE_CHOICES; k++) {
                if (rng.nextDouble() < edgeProbability) {
                    v[k] = 1 - v[k];
                }
            }
            for (int k = EDGE_CHOICES; k < v.length; k++) {
                if (rng.nextDouble() < opProbability) {
                    v[k] = (v[k] + 1 + rng.nextInt(NasBench101Ops.OPERATIONS.size() - 1))
                            % NasBench101Ops.OPERATIONS.size();
                }
            }
            if (Arrays.equals(v, original)) {
                continue;
            }
            Arrays.fill(rows, 0);
            for (int k = 0; k < EDGE_CHOICES; k++) {
                rows[FROM[k]] |= v[k] << TO[k];
            }
            if (isValidRows(rows)) {
                return Architecture.of(this, v);
            }
        }
        throw new IllegalStateException("no valid mutation of " + parent + " found in " + MAX_ATTEMPTS + " attempts");
    }

    private int[] rows(Architecture a) {
        int[] rows = new int[VERTICES];
        for (int k = 0; k < EDGE_CHOICES; k++) {
            rows[FROM[k]] |= a.index(k) << TO[k];
        }
        return rows;
    }

    private static List<String> ops(Architecture a) {
        List<String> ops = new ArrayList<>(VERTICES);
        ops.add(NasBench101Ops.INPUT);
        for (int v = 0; v < OP_SPOTS; v++) {
            ops.add(NasBench101Ops.OPERATIONS.get(a.index(EDGE_CHOICES + v)));
        }
        ops.add(NasBench101Ops.OUTPUT);
        return ops;
    }

    private void checkSpace(Architecture a) {
        Objects.requireNonNull(a, "architecture");
        if (!a.space().identity().equals(identity())) {
            throw new IllegalArgumentException("architecture must belong to space '" + identity()
                    + "', but belonged to '" + a.space().identity() + "'");
        }
    }

    @Override
    public String toString() {
        return identity();
    }
}
