package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.Choice;

/**
 * The layout of a {@link DartsSpace} choice vector and the vector operations of cells built from it: for each cell
 * with its own choices (one when the reduction cell is the normal cell, else normal then reduce), for each node
 * (block) four entries {@code input 0, op 0, input 1, op 1}; then, in a progressive space, the block count
 * (option {@code b - 1}). The choices of absent blocks (nodes {@code >= b}) do not change the network; their
 * canonical value is option 0. Immutable.
 */
final class BlockLayout {
    private final int nodes;
    private final int cells;
    private final int ops;
    private final boolean distinctInputs;
    private final boolean progressive;
    /** {@link #nodeContents} per node, computed when first needed (a benign race: every thread computes the same). */
    private final List<List<int[]>> contents;

    BlockLayout(int nodes, int cells, int ops, boolean distinctInputs, boolean progressive) {
        this.nodes = nodes;
        this.cells = cells;
        this.ops = ops;
        this.distinctInputs = distinctInputs;
        this.progressive = progressive;
        this.contents = new CopyOnWriteArrayList<>(Collections.nCopies(nodes, null));
    }

    /**
     * The choices in vector order: for each cell (named by {@code cellLabels}), node and slot, an input choice
     * {@code "<label> node <state> input <slot>"} over the earlier states and an op choice
     * {@code "<label> node <state> op <slot>"} over {@code ops}; then, in a progressive space, {@code "blocks"}.
     */
    List<Choice> choices(List<String> cellLabels, List<String> ops) {
        List<Choice> cs = new ArrayList<>();
        for (String label : cellLabels) {
            for (int node = 2; node < nodes + 2; node++) {
                List<String> inputs = new ArrayList<>();
                for (int s = 0; s < node; s++) {
                    inputs.add(Integer.toString(s));
                }
                for (int slot = 0; slot < 2; slot++) {
                    cs.add(Choice.of(label + " node " + node + " input " + slot, Choice.Kind.INPUT, inputs));
                    cs.add(Choice.of(label + " node " + node + " op " + slot, Choice.Kind.OPERATION, ops));
                }
            }
        }
        if (progressive) {
            List<String> counts = new ArrayList<>();
            for (int n = 1; n <= nodes; n++) {
                counts.add(Integer.toString(n));
            }
            cs.add(Choice.of("blocks", Choice.Kind.VALUE, counts));
        }
        return List.copyOf(cs);
    }

    /** The length of the choice vector. */
    int length() {
        return cells * 4 * nodes + (progressive ? 1 : 0);
    }

    /** The index of the block-count choice (progressive spaces only). */
    int blocksIndex() {
        return cells * 4 * nodes;
    }

    /** The index of the first of the four choices of {@code node} (0-based) of cell {@code cell}. */
    int base(int cell, int node) {
        return (cell * nodes + node) * 4;
    }

    /** The number of blocks of the cells of {@code v}. */
    int blocks(int[] v) {
        return progressive ? v[blocksIndex()] + 1 : nodes;
    }

    /**
     * Whether {@code v} is canonical (absent blocks at option 0: one vector per network, so that its text form
     * reads back to the same vector) and each present node reads two different states where the space requires it.
     */
    boolean valid(int[] v) {
        int b = blocks(v);
        for (int c = 0; c < cells; c++) {
            for (int i = base(c, b); i < base(c, nodes); i++) {
                if (v[i] != 0) {
                    return false;
                }
            }
            for (int n = 0; distinctInputs && n < b; n++) {
                if (v[base(c, n)] == v[base(c, n) + 2]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code v} with the choices of absent blocks at option 0, in place; returns {@code v}. */
    int[] canonicalise(int[] v) {
        int b = blocks(v);
        for (int c = 0; c < cells; c++) {
            for (int i = base(c, b); i < base(c, nodes); i++) {
                v[i] = 0;
            }
        }
        return v;
    }

    /**
     * Every distinct content of node {@code node} (0-based; it reads states {@code 0 .. node + 1}) as
     * {@code {input 0, op 0, input 1, op 1}}: the two (input, op) pairs are unordered (a node sums them), so only
     * pair 0 &lt;= pair 1 is listed, and pair 0 &lt; pair 1 with different inputs when inputs must be distinct.
     * The arrays are shared: callers copy them.
     */
    List<int[]> nodeContents(int node) {
        List<int[]> cached = contents.get(node);
        if (cached == null) {
            cached = listContents(node);
            contents.set(node, cached);
        }
        return cached;
    }

    private List<int[]> listContents(int node) {
        int pairs = (node + 2) * ops;
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            for (int q = p; q < pairs; q++) {
                if (!distinctInputs || p / ops != q / ops) {
                    out.add(new int[] {p / ops, p % ops, q / ops, q % ops});
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every distinct 1-block vector; empty when the block count is fixed above 1. */
    List<int[]> oneBlock() {
        if (!progressive && nodes > 1) {
            return List.of();
        }
        return withNewNode(new int[length()], 0);
    }

    /** Every distinct vector with one more block than {@code v} that keeps {@code v}'s blocks. */
    List<int[]> expansions(int[] v) {
        int b = blocks(v);
        if (!progressive || b == nodes) {
            return List.of();
        }
        int[] grown = canonicalise(v.clone());
        grown[blocksIndex()] = b;
        return withNewNode(grown, b);
    }

    /** The number of {@link #expansions} of {@code v}. */
    long expansionCount(int[] v) {
        int b = blocks(v);
        if (!progressive || b == nodes) {
            return 0;
        }
        long perCell = nodeContents(b).size();
        return cells == 1 ? perCell : perCell * perCell;
    }

    /** One of the {@link #expansions} of {@code v}, uniformly; {@code null} if there is none. */
    int[] randomExpansion(int[] v, RandomGenerator rng) {
        int b = blocks(v);
        if (!progressive || b == nodes) {
            return null;
        }
        List<int[]> contents = nodeContents(b);
        int[] grown = canonicalise(v.clone());
        grown[blocksIndex()] = b;
        for (int c = 0; c < cells; c++) {
            System.arraycopy(contents.get(rng.nextInt(contents.size())), 0, grown, base(c, b), 4);
        }
        return grown;
    }

    /** {@code template} with node {@code node} of every cell set to each combination of distinct contents. */
    private List<int[]> withNewNode(int[] template, int node) {
        List<int[]> contents = nodeContents(node);
        List<int[]> out = List.of(template);
        for (int c = 0; c < cells; c++) {
            List<int[]> next = new ArrayList<>(out.size() * contents.size());
            for (int[] partial : out) {
                for (int[] content : contents) {
                    int[] v = partial.clone();
                    System.arraycopy(content, 0, v, base(c, node), 4);
                    next.add(v);
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * A valid vector: the block count uniform in [1, nodes] (progressive spaces; fixed otherwise), then every
     * present node uniform over its valid contents, absent ones canonical.
     */
    int[] sample(RandomGenerator rng) {
        int[] v = new int[length()];
        int b = nodes;
        if (progressive) {
            b = 1 + rng.nextInt(nodes);
            v[blocksIndex()] = b - 1;
        }
        for (int c = 0; c < cells; c++) {
            for (int n = 0; n < b; n++) {
                sampleNode(v, base(c, n), n + 2, rng);
            }
        }
        return v;
    }

    private void sampleNode(int[] v, int i, int states, RandomGenerator rng) {
        v[i] = rng.nextInt(states);
        v[i + 1] = rng.nextInt(ops);
        if (distinctInputs) {
            int second = rng.nextInt(states - 1);
            v[i + 2] = second >= v[i] ? second + 1 : second;
        } else {
            v[i + 2] = rng.nextInt(states);
        }
        v[i + 3] = rng.nextInt(ops);
    }

    /**
     * A valid, canonical vector that differs from {@code parent} in one present choice (set to another option) or
     * in its block count (picked uniformly among the present choices with more than one option and the block
     * count); a grown cell gets uniformly sampled new nodes, a shrunk one loses its last nodes. Progressive spaces
     * only; {@code null} when no valid mutation was found in {@code attempts}.
     */
    int[] mutate(int[] parent, RandomGenerator rng, int attempts) {
        int[] v = canonicalise(parent.clone());
        int b = blocks(v);
        List<Integer> mutable = new ArrayList<>();
        for (int c = 0; c < cells; c++) {
            for (int i = base(c, 0); i < base(c, b); i++) {
                if (size(i) > 1) {
                    mutable.add(i);
                }
            }
        }
        if (nodes > 1) {
            mutable.add(blocksIndex());
        }
        if (mutable.isEmpty()) {
            return null;
        }
        for (int attempt = 0; attempt < attempts; attempt++) {
            int i = mutable.get(rng.nextInt(mutable.size()));
            int[] child = v.clone();
            if (i == blocksIndex()) {
                int nb = 1 + (b + rng.nextInt(nodes - 1)) % nodes;
                child[i] = nb - 1;
                canonicalise(child);
                for (int c = 0; c < cells; c++) {
                    for (int n = b; n < nb; n++) {
                        sampleNode(child, base(c, n), n + 2, rng);
                    }
                }
                return child;
            }
            int n = size(i);
            child[i] = (v[i] + 1 + rng.nextInt(n - 1)) % n;
            if (valid(child)) {
                return child;
            }
        }
        return null;
    }

    /** The number of options of cell choice {@code i}: inputs {@code 0 .. node + 1} or the ops. */
    private int size(int i) {
        return i % 2 == 0 ? (i / 4) % nodes + 2 : ops;
    }
}
