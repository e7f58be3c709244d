package org.nas4j.core.search;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/** A chain of {@code n} edges each choosing one of {@code k} ops: readable form "o1-o0-o3". */
final class ToySpace implements SearchSpace {
    private final List<Choice> choices = new ArrayList<>();

    ToySpace(int n, int k) {
        List<String> ops = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ops.add("o" + i);
        }
        for (int i = 0; i < n; i++) {
            choices.add(Choice.of("edge " + i, Choice.Kind.OPERATION, ops));
        }
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String identity() {
        return "toy(" + choices.size() + "x" + choices.get(0).size() + ")";
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
        String[] parts = text.split("-");
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

    /** An estimator described by {@code description} that reports {@link #score} as validation accuracy. */
    static Estimator scoring(String description) {
        return new Estimator() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Evaluation evaluate(EvaluationRequest r) {
                return Evaluation.of(Metric.VALIDATION_ACCURACY, score(r.architecture()));
            }
        };
    }

    /** A smooth score: the sum of the option indices, so higher options are better. */
    static double score(Architecture a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.index(i);
        }
        return s;
    }
}
