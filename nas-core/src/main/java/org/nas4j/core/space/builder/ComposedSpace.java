package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.Shape;

/**
 * A search space made by a {@link SpaceBuilder}: a {@link SearchSpace} like the built-in ones. Its choice vector
 * holds the value choices, op choices, depths, and the input and op choices of each cell template, in the order of
 * the definition ({@link #choices()}). Immutable and thread-safe.
 *
 * <ul>
 *   <li><b>Members.</b> The choices of an absent repetition must be option 0, so that each network has one vector;
 *       nodes with distinct inputs read different states; every constraint and cost limit holds
 *       ({@link #isValid}).</li>
 *   <li><b>Sampling</b> draws the depth of each repeat uniformly, then the choices present; <b>mutation</b> changes
 *       one present choice (a new repetition's choices are drawn, a dropped one's reset).</li>
 *   <li><b>Text.</b> {@link #format} writes {@code key=value} entries, e.g.
 *       {@code blocks=2; blocks[0].k=5; blocks[0].op=sep_conv_{k}x{k}; blocks[1].k=3; blocks[1].op=nor_conv_{k}x{k}};
 *       cell nodes as {@code cell.n2=nor_conv_3x3~0+skip_connect~1}. {@link #parse} reads it back.</li>
 *   <li><b>Canonical key.</b> The laid-out network (ops, channels, strides) and each cell's computation with its
 *       sums sorted and zero ops propagated ({@code CompiledCell.key}): equal for the same network.</li>
 *   <li><b>Costs.</b> {@link #plan} lays the network out with the catalogue's formulas; {@link #parameters} and
 *       {@link #multiplyAdds} sum it, without building anything.</li>
 *   <li><b>Graphs.</b> {@link #cells} gives one graph per cell template, and a graph {@code "network"} of the
 *       steps when the space has choices outside its cells.</li>
 * </ul>
 */
public final class ComposedSpace implements SearchSpace {
    private final SpaceBuilder.Definition definition;
    private final Layout layout;
    private final ArchitectureText text;
    private final String definitionText;
    private final String identity;
    private final boolean chainChoices;
    private final ComposedForm form;

    private ComposedSpace(SpaceBuilder.Definition definition, Layout layout) {
        this.definition = definition;
        this.layout = layout;
        this.text = new ArchitectureText(layout);
        this.definitionText = DefinitionText.of(definition);
        this.identity = definitionText.replace("\n", "; ").replaceAll(";\\s+", "; ");
        int inCells = 0;
        for (CompiledCell c : layout.cells()) {
            for (CompiledCell.NodeLayout n : c.nodes()) {
                for (int s = 0; s < n.k(); s++) {
                    inCells += (n.inputChoice()[s] >= 0 ? 1 : 0) + (n.opChoice()[s] >= 0 ? 1 : 0);
                }
            }
        }
        this.chainChoices = inCells < layout.choices().size();
        this.form = ComposedForm.of(this);
    }

    /** Builds and checks the space of {@code definition}. */
    static ComposedSpace of(SpaceBuilder.Definition definition) {
        ComposedSpace space = new ComposedSpace(definition,
                Layout.compile(definition.catalogue(), definition.values(), definition.parts()));
        ShapeProbe.check(space.layout, definition.input());
        return space;
    }

    @Override
    public String name() {
        return definition.name();
    }

    /** The definition as one line (the lines of {@link #definition()} joined by {@code "; "}). */
    @Override
    public String identity() {
        return identity;
    }

    /** This space itself: it is written with the builder, and its architectures need no translation. */
    @Override
    public Optional<ComposedForm> composedForm() {
        return Optional.of(form);
    }

    /** The definition as readable text, one line per part, cell node and constraint. */
    public String definition() {
        return definitionText;
    }

    @Override
    public List<Choice> choices() {
        return layout.choices();
    }

    /**
     * Whether every batch norm of this space's networks normalizes with the batch's statistics in inference too
     * ({@link SpaceBuilder#batchStatisticsInInference}; ENAS' micro search child).
     */
    public boolean batchStatisticsInInference() {
        return definition.batchStatisticsInInference();
    }

    /**
     * Whether every dropout layer of this space's networks also drops in inference
     * ({@link SpaceBuilder#dropoutInInference}; ENAS' micro search child).
     */
    public boolean dropoutInInference() {
        return definition.dropoutInInference();
    }

    /** The ops this space names, with their cost formulas. */
    public OpCatalogue catalogue() {
        return definition.catalogue();
    }

    /** The shape of one input sample. */
    public Shape inputShape() {
        return definition.input();
    }

    /** The number of classes. */
    public int classes() {
        return definition.classes();
    }

    @Override
    public String format(Architecture architecture) {
        return text.format(vectorOf(architecture));
    }

    @Override
    public Architecture parse(String architectureText) {
        return Architecture.of(this, text.parse(architectureText, name()));
    }

    /** The network of {@code architecture} laid out with shapes and costs. */
    public NetworkPlan plan(Architecture architecture) {
        return Planner.plan(layout, definition.input(), vectorOf(architecture), false);
    }

    /** Trainable parameters of {@code architecture}'s network, from the catalogue's formulas. */
    public long parameters(Architecture architecture) {
        return plan(architecture).parameters();
    }

    /** Multiply-adds of one forward pass of one sample. */
    public long multiplyAdds(Architecture architecture) {
        return plan(architecture).multiplyAdds();
    }

    @Override
    public List<Graph> cells(Architecture architecture) {
        int[] v = vectorOf(architecture);
        List<Graph> graphs = new ArrayList<>();
        for (CompiledCell c : layout.cells()) {
            graphs.add(c.graph(c.resolve(v), catalogue().cellInputs().unusedInput()));
        }
        if (chainChoices) {
            graphs.add(networkGraph(plan(architecture)));
        }
        return graphs;
    }

    private static Graph networkGraph(NetworkPlan plan) {
        List<Graph.Node> nodes = new ArrayList<>();
        List<Graph.Edge> edges = new ArrayList<>();
        nodes.add(Graph.Node.input(0));
        for (int i = 0; i < plan.steps().size(); i++) {
            NetworkPlan.Step s = plan.steps().get(i);
            if (s instanceof NetworkPlan.CellStep c && c.join()) {
                // a join: an edge from every state it reads, with its op; the node applies the join's op
                nodes.add(new Graph.Node(i + 1, c.graph().nodes().get(c.graph().nodes().size() - 1).op(),
                        Graph.Combine.SUM));
                for (NetworkPlan.EdgeStep e : c.edges()) {
                    edges.add(new Graph.Edge(c.sources().get(e.from()), i + 1, e.op()));
                }
                continue;
            }
            nodes.add(Graph.Node.sum(i + 1));
            String op = s instanceof NetworkPlan.LayerStep l ? l.op() : "cell:" + ((NetworkPlan.CellStep) s).template();
            edges.add(new Graph.Edge(i, i + 1, op));
        }
        return new Graph("network", nodes, edges);
    }

    @Override
    public boolean isValid(Architecture architecture) {
        int[] v = vectorOf(architecture);
        int[][] conditions = layout.conditions();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && !ChoiceList.active(conditions, i, v)) {
                return false;
            }
        }
        for (CompiledCell c : layout.cells()) {
            if (!c.distinctInputs(v)) {
                return false;
            }
        }
        if (definition.maxParameters() != null || definition.maxMultiplyAdds() != null) {
            NetworkPlan plan = plan(architecture);
            if (definition.maxParameters() != null && plan.parameters() > definition.maxParameters()) {
                return false;
            }
            if (definition.maxMultiplyAdds() != null && plan.multiplyAdds() > definition.maxMultiplyAdds()) {
                return false;
            }
        }
        for (SpaceConstraint c : definition.constraints()) {
            if (!c.rule().test(architecture)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The network's layout (each step's op, output channels and stride; each cell step's template and channels;
     * identity layers left out) followed by the computation of each cell template it places.
     */
    @Override
    public String canonicalKey(Architecture architecture) {
        NetworkPlan plan = plan(architecture);
        int[] v = vectorOf(architecture);
        StringBuilder s = new StringBuilder();
        Set<String> placed = new LinkedHashSet<>();
        for (NetworkPlan.Step step : plan.steps()) {
            if (step instanceof NetworkPlan.LayerStep l) {
                if (l.stride() == 1 && catalogue().entry(l.op()).kind() == OpCatalogue.Kind.IDENTITY) {
                    continue;   // passes its input through: the same network without it
                }
                s.append(l.op()).append('>').append(l.output().channels());
                if (l.stride() != 1) {
                    s.append("/s").append(l.stride());
                }
            } else if (step instanceof NetworkPlan.CellStep c && c.join()) {
                s.append(joinKey(c));
            } else if (step instanceof NetworkPlan.CellStep c) {
                s.append(c.template()).append('@').append(c.channels());
                placed.add(c.template());
            }
            s.append(' ');
        }
        for (CompiledCell c : layout.cells()) {
            if (placed.contains(c.name())) {
                s.append("| ").append(c.name()).append(": ").append(c.key(c.resolve(v), catalogue())).append(' ');
            }
        }
        return s.toString().strip();
    }

    /**
     * A join as the sorted sum of its non-zero terms ({@code s<state>} for an identity at stride 1, else
     * {@code s<state>@op}), then {@code .op} after the sum, width and stride, e.g.
     * {@code join(s4+s6@enas_conv_3x3).batch_norm>16}: equal for the same computation.
     */
    private String joinKey(NetworkPlan.CellStep c) {
        List<String> terms = new ArrayList<>();
        for (NetworkPlan.EdgeStep e : c.edges()) {
            OpCatalogue.Kind kind = catalogue().entry(e.op()).kind();
            if (kind == OpCatalogue.Kind.ZERO) {
                continue;
            }
            int state = c.sources().get(e.from());
            terms.add(kind == OpCatalogue.Kind.IDENTITY && e.stride() == 1 ? "s" + state : "s" + state + "@" + e.op());
        }
        java.util.Collections.sort(terms);
        String op = c.graph().nodes().get(c.graph().nodes().size() - 1).op();
        return "join(" + String.join("+", terms) + ")" + (op.equals("identity") ? "" : "." + op) + ">" + c.channels()
                + (c.reduction() ? "/s2" : "");
    }

    /** Draws each repeat's depth uniformly, then every present choice uniformly; retries while not valid. */
    @Override
    public Architecture sample(RandomGenerator rng) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] v = new int[choices().size()];
            fillActive(v, null, rng);
            Architecture a = Architecture.of(this, v);
            if (isValid(a)) {
                return a;
            }
        }
        throw new IllegalStateException("no valid architecture of space '" + name() + "' found in " + MAX_ATTEMPTS
                + " samples; are its constraints satisfiable?");
    }

    /**
     * Changes one present choice (picked uniformly among those with more than one option) to another option; the
     * choices of a repetition that appears are drawn, those of one that goes are reset to 0. Retries while not valid.
     */
    @Override
    public Architecture mutate(Architecture parent, RandomGenerator rng) {
        int[] p = vectorOf(parent);
        List<Integer> mutable = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            if (choices().get(i).size() > 1 && ChoiceList.active(layout.conditions(), i, p)) {
                mutable.add(i);
            }
        }
        if (mutable.isEmpty()) {
            throw new IllegalStateException("space '" + name() + "' has no choice with more than one option");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int i = mutable.get(rng.nextInt(mutable.size()));
            int n = choices().get(i).size();
            int[] v = p.clone();
            v[i] = (p[i] + 1 + rng.nextInt(n - 1)) % n;
            fillActive(v, p, rng);
            Architecture child = Architecture.of(this, v);
            if (isValid(child)) {
                return child;
            }
        }
        throw new IllegalStateException("no valid mutation of " + parent + " found in " + MAX_ATTEMPTS
                + " attempts");
    }

    /**
     * Sets inactive choices to 0 and draws the active ones that were not active in {@code before} (all of them when
     * {@code before} is null); a choice's conditions only read earlier depth choices, so one pass in order suffices.
     */
    private void fillActive(int[] v, int[] before, RandomGenerator rng) {
        int[][] conditions = layout.conditions();
        for (int i = 0; i < v.length; i++) {
            if (!ChoiceList.active(conditions, i, v)) {
                v[i] = 0;
            } else if (before == null || !ChoiceList.active(conditions, i, before)) {
                v[i] = rng.nextInt(choices().get(i).size());
            }
        }
    }

    private int[] vectorOf(Architecture architecture) {
        if (architecture.space() != this && !architecture.space().identity().equals(identity)) {
            throw new IllegalArgumentException("architecture must belong to space '" + name() + "', but was of '"
                    + architecture.space().name() + "'");
        }
        return architecture.vector();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComposedSpace s && s.identity.equals(identity);
    }

    @Override
    public int hashCode() {
        return identity.hashCode();
    }

    @Override
    public String toString() {
        return definitionText;
    }
}
