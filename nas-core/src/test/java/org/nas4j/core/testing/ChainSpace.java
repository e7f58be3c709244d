package org.nas4j.core.testing;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/**
 * A chain of {@code edges} edges, each choosing one of {@code ops} operations named {@code o0, o1, ...}; readable
 * form {@code "o1-o0-o3"}. Every choice vector is valid: {@code ops^edges} architectures. Immutable.
 *
 * <pre>{@code
 * SearchSpace space = new ChainSpace(8, 5);    // 390,625 architectures
 * }</pre>
 */
public final class ChainSpace implements SearchSpace {
    private final List<Choice> choices;

    /** A chain of {@code edges} >= 1 edges with {@code ops} >= 1 operations each. */
    public ChainSpace(int edges, int ops) {
        if (edges < 1) {
            throw new IllegalArgumentException("edges must be >= 1, but was " + edges);
        }
        if (ops < 1) {
            throw new IllegalArgumentException("ops must be >= 1, but was " + ops);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            names.add("o" + i);
        }
        List<Choice> c = new ArrayList<>();
        for (int i = 0; i < edges; i++) {
            c.add(Choice.of("edge " + i, Choice.Kind.OPERATION, names));
        }
        this.choices = List.copyOf(c);
    }

    @Override
    public String name() {
        return "chain";
    }

    @Override
    public String identity() {
        return "chain(edges=" + choices.size() + ",ops=" + choices.get(0).size() + ")";
    }

    @Override
    public List<Choice> choices() {
        return choices;
    }

    @Override
    public String format(Architecture a) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            parts.add(a.option(i));
        }
        return String.join("-", parts);
    }

    @Override
    public Architecture parse(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != choices.size()) {
            throw new IllegalArgumentException("a chain architecture must name " + choices.size()
                    + " ops separated by '-', but was '" + text + "'");
        }
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = choices.get(i).indexOf(parts[i]);
        }
        return Architecture.of(this, v);
    }

    @Override
    public List<Graph> cells(Architecture a) {
        List<Graph.Node> nodes = new ArrayList<>();
        List<Graph.Edge> edges = new ArrayList<>();
        nodes.add(Graph.Node.input(0));
        for (int i = 0; i < a.size(); i++) {
            nodes.add(Graph.Node.sum(i + 1));
            edges.add(new Graph.Edge(i, i + 1, a.option(i)));
        }
        return List.of(new Graph("chain", nodes, edges));
    }
}
