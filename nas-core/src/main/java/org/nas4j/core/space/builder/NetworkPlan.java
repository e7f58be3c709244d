package org.nas4j.core.space.builder;

import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.Shape;

/**
 * The network of one architecture of a {@link ComposedSpace}, laid out as data: the steps from the input to the
 * logits, each with its op(s), shapes, parameters and multiply-adds from the op catalogue's formulas. Nothing
 * trainable is built; a network compiler builds the same steps with modules. Immutable.
 *
 * <pre>{@code
 * NetworkPlan plan = space.plan(architecture);
 * plan.parameters();                 // sum over the steps
 * plan.steps().get(0);               // LayerStep[name=stem, op=conv_bn_3x3, input=1x28x28, output=16x28x28, ...]
 * }</pre>
 *
 * @param input     the input shape
 * @param steps     the steps in order; the last is the head
 * @param auxiliary      the auxiliary head, or null
 * @param auxiliaryInput the index of the step whose output the auxiliary head reads (-1: the input; the step
 *                       before it in the definition)
 */
public record NetworkPlan(Shape input, List<Step> steps, LayerStep auxiliary, int auxiliaryInput) {

    public NetworkPlan {
        Objects.requireNonNull(input, "input");
        steps = List.copyOf(steps);
    }

    /** One step of the network. */
    public sealed interface Step permits LayerStep, CellStep {
        /** Its name: the part's path, e.g. {@code "stem"}, {@code "blocks[1].op"}, {@code "normal#3"}. */
        String name();

        /** The shape it outputs. */
        Shape output();

        /** Its trainable parameters. */
        long parameters();

        /** Its multiply-adds for one sample. */
        long multiplyAdds();
    }

    /**
     * One op applied to the previous step's output.
     *
     * @param op     the catalogue op (placeholders resolved)
     * @param input  its input shape
     * @param stride its stride
     * @param choice the index in the choice vector of the op choice that picked {@code op}, or -1 for a fixed op
     */
    public record LayerStep(String name, String op, Shape input, Shape output, int stride, long parameters,
                            long multiplyAdds, int choice) implements Step {
    }

    /**
     * One cell: its inputs brought to {@code channels} by the preprocessing ops, then its edges, then its output.
     *
     * @param template   the cell template's name
     * @param graph      the resolved cell (as {@link ComposedSpace#cells} gives it)
     * @param inputs     the shapes of its inputs, before preprocessing (1 or 2: the outputs two steps and one step
     *                   back)
     * @param preprocess per input, the op that brings it to {@code channels}, or null when it is used as it is
     * @param channels   the channels {@code C} of its nodes
     * @param reduction  whether the ops reading its inputs have stride 2
     * @param edges      every op of the cell with its stride and costs, in node order
     * @param concat     the states its output concatenates (the last node alone for a last-node cell)
     * @param sources    for a join ({@link Join}), the network states its inputs read (0: the network's input,
     *                   {@code i + 1}: the output of step {@code i}); empty for a cell, which reads the one or two
     *                   steps before it
     */
    public record CellStep(String name, String template, Graph graph, List<Shape> inputs, List<String> preprocess,
                           int channels, boolean reduction, List<EdgeStep> edges, List<Integer> concat,
                           Shape output, long parameters, long multiplyAdds, List<Integer> sources) implements Step {
        public CellStep {
            inputs = List.copyOf(inputs);
            preprocess = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(preprocess));
            edges = List.copyOf(edges);
            concat = List.copyOf(concat);
            sources = List.copyOf(sources);
        }

        /** A cell reading the one or two steps before it. */
        public CellStep(String name, String template, Graph graph, List<Shape> inputs, List<String> preprocess,
                int channels, boolean reduction, List<EdgeStep> edges, List<Integer> concat, Shape output,
                long parameters, long multiplyAdds) {
            this(name, template, graph, inputs, preprocess, channels, reduction, edges, concat, output, parameters,
                    multiplyAdds, List.of());
        }

        /**
         * Whether its output sums a projection of each state no node reads ({@link CellOutput#PROJECT_UNUSED_STATES}):
         * the graph's output node sums, then normalises, what the edges beyond the nodes' own bring, each a ReLU-1x1
         * convolution of a state.
         */
        public boolean projectsUnusedStates() {
            Graph.Node last = graph.nodes().get(graph.nodes().size() - 1);
            if (join() || graph.edges().size() <= edges.size() || last.combine() != Graph.Combine.SUM
                    || !last.op().equals(EnasOps.BATCH_NORM)) {
                return false;
            }
            for (Graph.Edge e : graph.edges().subList(edges.size(), graph.edges().size())) {
                if (!e.op().equals(EnasOps.RELU_CONV_1X1)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether it is a join, whose inputs are {@link #sources()}, not the steps just before it. */
        public boolean join() {
            return !sources.isEmpty();
        }
    }

    /**
     * One op inside a cell.
     *
     * @param from   the state it reads
     * @param to     the node it feeds
     * @param op     the op
     * @param stride 2 for an op of a reduction cell reading a cell input, else 1
     * @param input  the shape of the state it reads
     * @param output the shape it gives
     * @param choice the index in the choice vector of the op choice that picked {@code op}, or -1 for a fixed op
     */
    public record EdgeStep(int from, int to, String op, int stride, Shape input, Shape output, long parameters,
                           long multiplyAdds, int choice) {
    }

    /** Trainable parameters of the whole network, the auxiliary head's included (the reference's model.parameters()). */
    public long parameters() {
        return parametersWithoutAuxiliary() + (auxiliary == null ? 0 : auxiliary.parameters());
    }

    /** Trainable parameters without the auxiliary head (what DARTS logs as "param size"). */
    public long parametersWithoutAuxiliary() {
        long p = 0;
        for (Step s : steps) {
            p += s.parameters();
        }
        return p;
    }

    /** Multiply-adds of one inference forward pass of one sample (the auxiliary head, training only, excluded). */
    public long multiplyAdds() {
        long m = 0;
        for (Step s : steps) {
            m += s.multiplyAdds();
        }
        return m;
    }

    /** The shape of the logits. */
    public Shape output() {
        return steps.isEmpty() ? input : steps.get(steps.size() - 1).output();
    }
}
