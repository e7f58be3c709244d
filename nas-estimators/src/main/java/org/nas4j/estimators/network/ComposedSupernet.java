package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.RunningStatistics;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.ops.Zero;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.engine.supernet.SupernetEdge;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight-sharing supernet of a {@link ComposedSpace}, compiled from the same plan as its stand-alone networks
 * ({@link SpaceCompiler}): every op choice (of a layer, or of a cell edge, shared by every placement of the cell)
 * is a {@link SupernetEdge} holding each candidate op once, combined under a {@link PathPolicy} (DARTS' weighted
 * sum, GDAS, a sampled single path, ProxylessNAS, a fixed path, path dropout); everything else is as in the
 * stand-alone network. {@link #derive()} gives back the architecture of a learned policy;
 * {@link #restrictedTo(Architecture, ModuleCatalogue, DataType, long)} runs one architecture, and so does
 * {@link #usePath} on a supernet compiled with any policy (to evaluate candidates on a trained supernet, SPOS'
 * search, or to train the path a controller chose, ENAS). Not thread-safe.
 *
 * <p>Every decision of the space is an edge of the policy ({@link #edgeChoices()}, {@link #edgeSizes()}), each
 * with its own number of candidates:
 * <ul>
 *   <li>an op choice: its ops crossed with the options of the values its op names read ({@code nor_conv_{k}x{k}}
 *       gives {@code nor_conv_3x3} and {@code nor_conv_5x5}), each kernel with its own weights (ProxylessNAS); but
 *       candidates that the module catalogue names widths of one block ({@link ModuleCatalogue#slice}: SPOS'
 *       {@code shuffle_3x3_c0.2} .. {@code shuffle_3x3_c1.6}) share the widest one's weights, a narrower one running
 *       on their leading channels ({@link SliceFamily}; SPOS' channel search);</li>
 *   <li>a channel choice (a value read by widths): the layers it sizes hold their widest weights once and a
 *       narrower width uses their leading channels (SPOS' channel search); sampled, never learned;</li>
 *   <li>the inputs of a cell node that picks k of its states, distinct, with the same ops (DARTS' cells): one edge
 *       per candidate state whose candidates are {@code none} and the ops, the node summing them (DARTS'
 *       {@code MixedOp}), derived by the reference's rule (the k strongest states, strongest first);
 *       {@link SummedNodes};</li>
 *   <li>an input choice of another cell node: an op per candidate state, each scaled by the state's weight (NNI's
 *       mixed input) or one state drawn per pass;</li>
 *   <li>a depth: the deepest stack is built once and a depth runs its first blocks (SPOS).</li>
 * </ul>
 * Channel choices that size cells, input choices that change what a cell concatenates and depths over cells are
 * refused with a message naming the choice. See {@code docs/supernet.md}.
 *
 * <p>Under {@link WeightSharing#CONDITIONAL} a candidate op with weights holds one copy per candidate of the op
 * choice just before it in the network, and a pass runs the copy of the op the path took there (conditional
 * weights, {@link #compile(ComposedSpace, PathPolicy.Factory, ModuleCatalogue, DataType, long, WeightSharing)}).
 *
 * <p>Memory: one {@link ArrayPool} serves every edge, cell and layer; an edge pools the buffers of the candidates
 * a pass does not run, a cell all of its buffers after its backward pass ({@link GraphCell}), and after the
 * network's backward pass the layers outside cells (reductions, head) theirs, the first layer its output.
 *
 * <pre>{@code
 * ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42);
 * INDArray logits = supernet.forward(images, Mode.TRAINING);
 * supernet.backward(loss.backward());
 * Architecture best = supernet.derive();
 * }</pre>
 */
public final class ComposedSupernet implements Supernet {

    private final ComposedSpace space;
    private final SupernetLayout layout;
    private final ParameterSet params;
    private final ParameterSet architecture;
    private final PathPolicy policy;
    private final PathOverride edgePolicy;
    private final ParameterSet slices;
    private final PlanBody body;
    private final int[] widths;
    private final ArrayPool pool;
    private final ConditionalWeights conditional;

    private ComposedSupernet(ComposedSpace space, SupernetLayout layout, ParameterSet params,
            ParameterSet architecture, PathOverride edgePolicy, PathPolicy policy, ParameterSet slices,
            PlanBody body, int[] widths, ArrayPool pool, ConditionalWeights conditional) {
        this.conditional = conditional;
        this.widths = widths;
        this.pool = pool;
        this.space = space;
        this.layout = layout;
        this.params = params;
        this.architecture = architecture;
        this.edgePolicy = edgePolicy;
        this.policy = policy;
        this.slices = slices;
        this.body = body;
    }

    /**
     * Compiles the supernet of {@code space}.
     *
     * @param space    a space whose choices are op choices and value choices read by op names (kernels)
     * @param policy   how edges combine their candidates
     * @param modules  the modules of the ops
     * @param dataType the parameters' type (DOUBLE for gradient checks)
     * @param seed     seed of the initial weights
     * @return the supernet, parameters sealed
     */
    public static ComposedSupernet compile(ComposedSpace space, PathPolicy.Factory policy, ModuleCatalogue modules,
            DataType dataType, long seed) {
        return compile(space, policy, modules, dataType, seed, WeightSharing.PLAIN);
    }

    /**
     * Compiles the supernet of {@code space} with the given weight sharing; {@link WeightSharing#PLAIN} is
     * {@link #compile(ComposedSpace, PathPolicy.Factory, ModuleCatalogue, DataType, long)}.
     *
     * @param sharing {@link WeightSharing#CONDITIONAL}: the ops' weights depend on the op chosen just before them
     * @throws IllegalArgumentException under {@code CONDITIONAL}, naming the policy for one that learns architecture
     *                                  weights or runs several ops of an edge (mixed, gdas, proxyless, path
     *                                  dropout), or naming the choice for a space with a choice that is not an op
     *                                  choice (channels, depth, inputs)
     */
    public static ComposedSupernet compile(ComposedSpace space, PathPolicy.Factory policy, ModuleCatalogue modules,
            DataType dataType, long seed, WeightSharing sharing) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sharing, "sharing");
        return compile(space, SupernetLayout.of(space), policy, modules, dataType, seed, sharing);
    }

    /**
     * The supernet restricted to one architecture: every edge takes the candidate {@code architecture} chooses
     * ({@link PathPolicies#fixed}). With the chosen candidates' weights copied over, it computes the stand-alone
     * network of {@code architecture}.
     */
    public static ComposedSupernet restrictedTo(Architecture architecture, ModuleCatalogue modules,
            DataType dataType, long seed) {
        if (!(architecture.space() instanceof ComposedSpace space)) {
            throw new IllegalArgumentException("architecture must be of a ComposedSpace, but was of "
                    + architecture.space());
        }
        SupernetLayout layout = SupernetLayout.of(space);
        return compile(space, layout, PathPolicies.fixed(layout.path(architecture)), modules, dataType, seed,
                WeightSharing.PLAIN);
    }

    private static ComposedSupernet compile(ComposedSpace space, SupernetLayout layout, PathPolicy.Factory policy,
            ModuleCatalogue modules, DataType dataType, long seed, WeightSharing sharing) {
        Objects.requireNonNull(modules, "modules");
        NetworkPlan plan = layout.plan();
        ParameterSet params = new ParameterSet(dataType, seed);
        ParameterSet architecture = new ParameterSet(dataType, Seeds.derive(seed, "architecture"));
        PathPolicy compiled = policy.create(architecture, layout.counts());
        if (layout.hasChannels() && compiled instanceof LearnedPathPolicy) {
            SupernetLayout.Edge channel = layout.edges().stream().filter(SupernetLayout.Edge::channel).findFirst()
                    .orElseThrow();
            throw new IllegalArgumentException("channel choice '" + space.choices().get(channel.choice()).name()
                    + "' of space '" + space.name() + "' is sampled, as in SPOS' channel search, not learned: use a"
                    + " policy without architecture weights (singlePath, fixed), but was "
                    + compiled.getClass().getSimpleName());
        }
        ConditionalWeights conditional = sharing == WeightSharing.CONDITIONAL
                ? ConditionalWeights.of(space, layout, compiled) : null;
        // the edges hold the policy they are compiled with: the override lets one path be set without recompiling
        PathOverride path = new PathOverride(compiled, layout.counts());
        ParameterSet slices = new ParameterSet(dataType, seed + 1);
        int[] widths = new int[layout.edges().size()];
        ArrayPool pool = new ArrayPool();
        OpCatalogue catalogue = space.catalogue();
        SpaceCompiler.StepModules steps = new SpaceCompiler.StepModules() {
            @Override
            public Module layer(int step, NetworkPlan.LayerStep l, String name) {
                int depth = layout.depthEdgeAt(step);
                if (depth < 0) {
                    return single(step, l, name);
                }
                // the repeat's layers run inside one module at its first step; the later steps pass its output on
                SupernetLayout.Edge d = layout.edges().get(depth);
                if (step != d.positions().get(0).step()) {
                    return Modules.identity();
                }
                Module[] stack = new Module[d.positions().size()];
                for (int k = 0; k < stack.length; k++) {
                    int s = d.positions().get(k).step();
                    NetworkPlan.LayerStep ls = (NetworkPlan.LayerStep) plan.steps().get(s);
                    stack[k] = single(s, ls, SpaceCompiler.vertexName(ls.name()));
                }
                return new DepthModule(depth, stack, d.states().stream().mapToInt(r -> r[0]).toArray(), path);
            }

            private Module single(int step, NetworkPlan.LayerStep l, String name) {
                SupernetLayout.Position at = new SupernetLayout.Position(step, -1);
                int e = layout.edgeAt(at);
                OpFactory ops = layout.channelEdges(at).length == 0 ? modules.asOpFactory()
                        : sliced(layout, at, modules, slices, e2 -> widths[e2]);
                if (e < 0) {
                    return ops.create(params, name, l.op(), l.input().channels(), l.output().channels(),
                            l.stride());
                }
                // widths of one block share the widest's weights, unless channel choices already slice the layer
                ModuleCatalogue families = layout.channelEdges(at).length == 0 ? modules : null;
                return new EdgeModule(edge(layout, e, at, ops, catalogue, params, name, l.input().channels(),
                        l.output().channels(), l.stride(), path, pool, false, families, slices, conditional));
            }

            @Override
            public Graph graph(int step, NetworkPlan.CellStep c) {
                List<Graph.Edge> edges = new ArrayList<>();
                boolean projects = c.projectsUnusedStates();
                for (int j = 0; j < c.graph().edges().size(); j++) {
                    Graph.Edge e = c.graph().edges().get(j);
                    if (projects && j >= c.edges().size()) {
                        continue; // the base architecture's unused states: replaced by a gate on every state below
                    }
                    SupernetLayout.Position at = new SupernetLayout.Position(step, j);
                    int input = j < c.edges().size() ? layout.inputEdgeAt(at) : -1;
                    int index = j < c.edges().size() ? layout.edgeAt(at) : -1;
                    SummedNodes.Node summed = j < c.edges().size() ? layout.summed().nodeAt(at) : null;
                    if (summed != null) {
                        // DARTS' relaxation: at the node's first input, one mixed op from every candidate state
                        if (SummedNodes.firstInputOf(plan, at)) {
                            for (int state : summed.states()) {
                                edges.add(new Graph.Edge(state, e.to(), STATE_TOKEN + step + ":" + j + ":" + state));
                            }
                        }
                    } else if (input >= 0) {
                        // one edge from every state the input choice may pick, each gated by its weight
                        SupernetLayout.Edge choice = layout.edges().get(input);
                        int[] states = choice.states().get(choice.positions().indexOf(at));
                        for (int o = 0; o < states.length; o++) {
                            edges.add(new Graph.Edge(states[o], e.to(), INPUT_TOKEN + step + ":" + j + ":" + o));
                        }
                    } else if (index >= 0) {
                        edges.add(new Graph.Edge(e.from(), e.to(), TOKEN + step + ":" + j + ":" + index));
                    } else {
                        edges.add(e);
                    }
                }
                if (projects) {
                    // ENAS' final_conv: every state has its projection, run when the path leaves it unused
                    int out = c.graph().nodes().size() - 1;
                    for (int state = 0; state < out; state++) {
                        edges.add(new Graph.Edge(state, out, UNUSED_TOKEN + step + ":" + state));
                    }
                }
                return new Graph(c.graph().name(), c.graph().nodes(), edges);
            }

            @Override
            public OpFactory cellOps(int step) {
                return (p, name, op, in, out, stride) -> {
                    if (op.startsWith(STATE_TOKEN)) {
                        String[] parts = op.substring(STATE_TOKEN.length()).split(":");
                        SupernetLayout.Position at = new SupernetLayout.Position(step, Integer.parseInt(parts[1]));
                        int state = Integer.parseInt(parts[2]);
                        SummedNodes.Node node = layout.summed().nodeAt(at);
                        String place = name.substring(0, name.lastIndexOf(".edge")) + ".node" + node.to() + "~from"
                                + state;
                        return new EdgeModule(edge(layout, node.edge(state), at, modules.asOpFactory(), catalogue,
                                p, place, in, out, stride, path, pool, true, null));
                    }
                    if (op.startsWith(UNUSED_TOKEN)) {
                        int state = Integer.parseInt(op.substring(UNUSED_TOKEN.length()).split(":")[1]);
                        return unusedStateGate(layout, step, state, modules, p, name, in, out, path);
                    }
                    if (op.startsWith(INPUT_TOKEN)) {
                        String[] parts = op.substring(INPUT_TOKEN.length()).split(":");
                        int j = Integer.parseInt(parts[1]);
                        int option = Integer.parseInt(parts[2]);
                        SupernetLayout.Position at = new SupernetLayout.Position(step, j);
                        int input = layout.inputEdgeAt(at);
                        SupernetLayout.Edge choice = layout.edges().get(input);
                        int state = choice.states().get(choice.positions().indexOf(at))[option];
                        String place = name.substring(0, name.lastIndexOf(".edge")) + ".edge" + j + "~from" + state;
                        int e = layout.edgeAt(at);
                        Layer gated = e >= 0
                                ? edge(layout, e, at, modules.asOpFactory(), catalogue, p, place, in, out, stride,
                                        path, pool, false, null)
                                : candidate(modules.asOpFactory(), catalogue, p, place, ((NetworkPlan.CellStep) plan
                                        .steps().get(step)).edges().get(j).op(), in, out, stride);
                        return new InputGate(input, option, gated, path, out, stride);
                    }
                    if (!op.startsWith(TOKEN)) {
                        return modules.create(p, name, op, in, out, stride);
                    }
                    String[] parts = op.substring(TOKEN.length()).split(":");
                    SupernetLayout.Position at = new SupernetLayout.Position(step, Integer.parseInt(parts[1]));
                    // a cell edge: its ReLU-first candidates read the ReLU the cell computes once per node
                    return new EdgeModule(edge(layout, Integer.parseInt(parts[2]), at, modules.asOpFactory(),
                            catalogue, p, name, in, out, stride, path, pool, true, conditional));
                };
            }

            @Override
            public ArrayPool pool() {
                return pool;
            }
        };
        List<PlanBody.Unit> units = SpaceCompiler.units(plan, params, modules, steps, null, 0);
        SpaceCompiler.inferenceOptions(space, params, slices);
        PlanBody body = new PlanBody(units, null, 0);
        // empty buffers: this only makes the layers' buffers take their arrays from the pool from the first pass on
        body.releaseLayerBuffers(pool);
        params.seal();
        if (conditional != null) {
            conditional.tie();
        }
        slices.seal();
        architecture.seal();
        return new ComposedSupernet(space, layout, params, architecture, path, compiled, slices, body, widths,
                pool, conditional);
    }

    /**
     * The op factory of a layer sized by channel choices: each op at its widest channels in {@code params}, and a
     * layer of each narrower size in {@code slices} that borrows the leading block of the widest weights.
     */
    private static OpFactory sliced(SupernetLayout layout, SupernetLayout.Position at, ModuleCatalogue modules,
            ParameterSet slices, SlicedModule.Widths widths) {
        List<SupernetLayout.Variant> variants = layout.variants(at);
        return (params, name, op, in, out, stride) -> {
            int before = params.parameters().size();
            Module widest = modules.create(params, name, op, in, out, stride);
            List<Parameter> widestParams = List.copyOf(params.parameters().subList(before, params.parameters()
                    .size()));
            Module[] variantModules = new Module[variants.size()];
            List<List<Parameter>> variantParams = new ArrayList<>();
            java.util.Map<String, Integer> made = new java.util.HashMap<>();
            for (int v = 0; v < variants.size(); v++) {
                SupernetLayout.Variant variant = variants.get(v);
                String size = variant.in() + "x" + variant.out();
                Integer same = made.get(size);
                if (variant.in() == in && variant.out() == out) {
                    variantModules[v] = widest;
                    variantParams.add(widestParams);
                } else if (same != null) {
                    variantModules[v] = variantModules[same];
                    variantParams.add(variantParams.get(same));
                } else {
                    int first = slices.parameters().size();
                    variantModules[v] = modules.create(slices, name + "@" + size, op, variant.in(), variant.out(),
                            stride);
                    variantParams.add(List.copyOf(slices.parameters().subList(first, slices.parameters().size())));
                    made.put(size, v);
                }
            }
            return new SlicedModule(widest, widestParams, layout.channelEdges(at), variants, variantModules,
                    variantParams, widths);
        };
    }

    /**
     * The projection of {@code state} of the cell at {@code step} ({@code <cell>.project~from<state>}), gated by the
     * input choices of the cell's nodes: it runs when none of them reads the state.
     */
    private static Module unusedStateGate(SupernetLayout layout, int step, int state, ModuleCatalogue modules,
            ParameterSet params, String name, int in, int out, PathPolicy path) {
        NetworkPlan.CellStep cell = (NetworkPlan.CellStep) layout.plan().steps().get(step);
        int[] inputEdges = new int[cell.edges().size()];
        int[][] reads = new int[inputEdges.length][];
        for (int j = 0; j < inputEdges.length; j++) {
            SupernetLayout.Position at = new SupernetLayout.Position(step, j);
            inputEdges[j] = layout.inputEdgeAt(at);
            if (inputEdges[j] < 0) {
                reads[j] = new int[] {cell.edges().get(j).from()};
            } else {
                SupernetLayout.Edge choice = layout.edges().get(inputEdges[j]);
                reads[j] = choice.states().get(choice.positions().indexOf(at));
            }
        }
        String place = name.substring(0, name.lastIndexOf(".edge")) + ".project~from" + state;
        Module projection = modules.create(params, place, org.nas4j.core.space.builder.EnasOps.RELU_CONV_1X1, in,
                out, 1);
        return new UnusedStateGate(cell.name(), state, inputEdges, reads, projection, path, out);
    }

    private static final String TOKEN = "supernet-edge:";
    private static final String UNUSED_TOKEN = "supernet-unused:";
    private static final String SPLIT_STATE = "conditional-weights.split";
    private static final String INPUT_TOKEN = "supernet-input:";
    private static final String STATE_TOKEN = "supernet-state:";

    /**
     * The supernet edge {@code e} at {@code at}: each of its candidates once, as the op it is there. With
     * {@code reluInput} (an edge of a cell, which computes each node's ReLU once) a candidate that starts with a
     * ReLU is built without it and reads the cell's ReLU of the node instead.
     */
    private static SupernetEdge edge(SupernetLayout layout, int e, SupernetLayout.Position at,
            OpFactory modules, OpCatalogue catalogue, ParameterSet params, String name, int in, int out,
            int stride, PathPolicy path, ArrayPool pool, boolean reluInput, ConditionalWeights conditional) {
        return edge(layout, e, at, modules, catalogue, params, name, in, out, stride, path, pool, reluInput, null,
                null, conditional);
    }

    /**
     * As above; with {@code families}, the candidates that are widths of one block ({@link ModuleCatalogue#slice})
     * share the weights of the widest ({@link SliceFamily}), the narrower ones declared in {@code slices}. Under
     * conditional weights each candidate keeps copies of its own instead (no slicing).
     */
    private static SupernetEdge edge(SupernetLayout layout, int e, SupernetLayout.Position at,
            OpFactory modules, OpCatalogue catalogue, ParameterSet params, String name, int in, int out,
            int stride, PathPolicy path, ArrayPool pool, boolean reluInput, ModuleCatalogue families,
            ParameterSet slices, ConditionalWeights conditional) {
        SupernetLayout.Edge edge = layout.edges().get(e);
        String[] ops = edge.ops().get(edge.positions().indexOf(at));
        Layer[] candidates = new Layer[ops.length];
        boolean[] takesRelu = new boolean[ops.length];
        if (families != null && conditional == null) {
            sliceFamilies(ops, candidates, families, modules, params, slices, name, in, out, stride);
        }
        for (int k = 0; k < ops.length; k++) {
            if (candidates[k] != null) {
                continue;
            }
            String op = ops[k];
            boolean[] relu = new boolean[1];
            java.util.function.Function<String, Layer> make = suffix -> {
                Layer c = named(modules, catalogue, params, name + "~" + op + suffix, op, in, out, stride);
                if (reluInput && c instanceof Module m && m.afterLeadingRelu().isPresent()) {
                    relu[0] = true;
                    return m.afterLeadingRelu().get();
                }
                return c;
            };
            candidates[k] = conditional == null ? make.apply("")
                    : conditional.candidate(at, params, make, path, pool, name + "~" + op);
            takesRelu[k] = relu[0];
        }
        return new SupernetEdge(e, candidates, takesRelu, path, pool);
    }

    /**
     * Fills {@code candidates} where two or more of {@code ops} are widths of one block: the widest declared in
     * {@code params}, the others in {@code slices}, all members of one {@link SliceFamily}.
     */
    private static void sliceFamilies(String[] ops, Layer[] candidates, ModuleCatalogue families, OpFactory modules,
            ParameterSet params, ParameterSet slices, String name, int in, int out, int stride) {
        Map<String, List<Integer>> byFamily = new LinkedHashMap<>();
        for (int k = 0; k < ops.length; k++) {
            int op = k;
            families.slice(ops[k]).ifPresent(s -> byFamily.computeIfAbsent(s.family(), f -> new ArrayList<>())
                    .add(op));
        }
        for (List<Integer> members : byFamily.values()) {
            if (members.size() < 2) {
                continue;
            }
            int widest = members.get(0);
            for (int k : members) {
                double width = families.slice(ops[k]).orElseThrow().width();
                if (width > families.slice(ops[widest]).orElseThrow().width()) {
                    widest = k;
                }
            }
            int before = params.parameters().size();
            Module wide = modules.create(params, name + "~" + ops[widest], ops[widest], in, out, stride);
            SliceFamily family = new SliceFamily(params.parameters().subList(before, params.parameters().size()));
            candidates[widest] = family.widest(wide);
            for (int k : members) {
                if (k == widest) {
                    continue;
                }
                int first = slices.parameters().size();
                Module narrow = modules.create(slices, name + "~" + ops[k], ops[k], in, out, stride);
                candidates[k] = family.narrower(narrow, slices.parameters().subList(first,
                        slices.parameters().size()), name + "~" + ops[k]);
            }
        }
    }

    /** A candidate: the zero op as {@link Zero} (the edge skips it), any other from the modules. */
    private static Layer candidate(OpFactory modules, OpCatalogue catalogue, ParameterSet params, String name,
            String op, int in, int out, int stride) {
        return named(modules, catalogue, params, name + "~" + op, op, in, out, stride);
    }

    /** As {@link #candidate}, with the module's whole name given. */
    private static Layer named(OpFactory modules, OpCatalogue catalogue, ParameterSet params, String moduleName,
            String op, int in, int out, int stride) {
        if (catalogue.entry(op).kind() == OpCatalogue.Kind.ZERO) {
            return new Zero(stride);
        }
        return modules.create(params, moduleName, op, in, out, stride);
    }

    /** The logits for {@code images}; starts a pass of the policy (which draws its paths). */
    @Override
    public INDArray forward(INDArray images, Mode mode) {
        edgePolicy.beginPass(mode);
        for (int e = 0; e < widths.length; e++) {
            SupernetLayout.Edge edge = layout.edges().get(e);
            if (edge.channel() || edge.depth() && layout.hasChannels()) {
                EdgePath p = edgePolicy.path(e);
                if (!p.isSingleUnitWeight()) {
                    throw new IllegalStateException("choice '" + space.choices().get(edge.choice()).name() + "' needs"
                            + " one option per pass (it sets the widths of sliced layers), but the policy gave " + p);
                }
                widths[e] = p.op(0);
            }
        }
        return body.forward(images, mode);
    }

    /** Back-propagates the gradient of the logits; writes weight and architecture-weight gradients. */
    @Override
    public INDArray backward(INDArray gradLogits) {
        INDArray g = body.backward(gradLogits);
        edgePolicy.endBackward();
        body.releaseLayerBuffers(pool);
        return g;
    }

    /** The network's weights: every candidate op's, and those of the fixed layers (stem, head). */
    @Override
    public ParameterSet weights() {
        return params;
    }

    /**
     * The policy's architecture weights ({@code alpha} of a {@link LearnedPathPolicy}); an empty set for a policy
     * without them. A separate set, so that the weight optimizer and the architecture optimizer of a one-shot
     * search each update their own.
     */
    @Override
    public ParameterSet architectureParameters() {
        return architecture;
    }

    /** The path policy the supernet was compiled with (also while a path is set with {@link #usePath}). */
    @Override
    public PathPolicy policy() {
        return policy;
    }

    /** How the candidate ops share their weights ({@link WeightSharing#CONDITIONAL}: copies per previous op). */
    public WeightSharing weightSharing() {
        return conditional == null ? WeightSharing.PLAIN : WeightSharing.CONDITIONAL;
    }

    /**
     * Shares the copies of the conditional weights: from the next pass on every op runs its first copy, whatever op
     * ran before it, so that they train as the ops of a plain supernet until {@link #splitConditionalWeights()}, as
     * UniNAS trains its split-weights supernet before the milestone epoch of its split. Kept in {@link #states()},
     * so that a checkpoint restores it.
     *
     * @throws IllegalStateException for a supernet without conditional weights
     */
    public void shareConditionalWeights() {
        requireConditional().share();
    }

    /**
     * Splits shared conditional weights: each op's first copy (weights and batch-norm statistics) is copied into its
     * other copies, and from the next pass on each op runs the copy of the op that ran before it. Nothing if they are
     * split (as compiled), so an epoch hook may call it at every epoch from the milestone on.
     *
     * @throws IllegalStateException for a supernet without conditional weights
     */
    public void splitConditionalWeights() {
        requireConditional().split();
    }

    /** Whether the conditional weights are split (as compiled), not shared; false for a plain supernet. */
    public boolean conditionalWeightsSplit() {
        return conditional != null && conditional.isSplit();
    }

    private ConditionalWeights requireConditional() {
        if (conditional == null) {
            throw new IllegalStateException("the supernet of space '" + space.name() + "' has plain weights: compile"
                    + " it with WeightSharing.CONDITIONAL");
        }
        return conditional;
    }

    /**
     * Makes every following pass, in training and inference, run {@code path} (one candidate per edge, as
     * {@link #path(Architecture)} gives it), as {@link PathPolicies#fixed} would, without recompiling: the
     * forward pass computes exactly that path and the backward pass writes the gradients of its weights only,
     * none of the architecture weights. The compiled policy draws nothing while a path is set (its generator is not
     * advanced). For evaluating architectures on a trained supernet (SPOS' search) and for a controller that
     * chooses the path that the shared weights train on (ENAS). Takes effect at the next {@link #forward}: do not
     * call it between a forward pass and its backward pass.
     *
     * @param path the candidate of every edge, {@code path[e]} in {@code [0, edgeSizes()[e])}
     * @throws IllegalArgumentException naming the edge, if the path has the wrong length or a candidate out of range
     */
    public void usePath(int[] path) {
        edgePolicy.set(path);
    }

    /** Returns the following passes to the compiled policy ({@link #policy()}), undoing {@link #usePath}. */
    public void usePolicyPath() {
        edgePolicy.clear();
    }

    /** The path set with {@link #usePath}, or empty while the compiled policy chooses. */
    public java.util.Optional<int[]> fixedPath() {
        return java.util.Optional.ofNullable(edgePolicy.requested());
    }

    /**
     * The non-trainable state of every layer, by name: the batch-norm running statistics of the widest layers
     * ({@code weights().states()}) and those kept per narrower width of channel-sliced layers. The arrays are the
     * layers' own: writing into one changes the layer (to save and restore them). With conditional weights, also
     * {@code conditional-weights.split}: {1} while they are split, {0} while shared.
     */
    @Override
    public Map<String, double[]> states() {
        Map<String, double[]> all = new LinkedHashMap<>(params.states());
        all.putAll(slices.states());
        if (conditional != null) {
            all.put(SPLIT_STATE, conditional.splitState());
        }
        return Collections.unmodifiableMap(all);
    }

    /** Every layer with running statistics (batch norm), of the widest and of the narrower sliced layers. */
    public List<RunningStatistics> runningStatistics() {
        List<RunningStatistics> all = new ArrayList<>(params.runningStatistics());
        all.addAll(slices.runningStatistics());
        return List.copyOf(all);
    }

    /** For each policy edge, the index in the space's choice vector of the op choice it decides (-1: none). */
    public int[] edgeChoices() {
        return layout.edges().stream().mapToInt(SupernetLayout.Edge::choice).toArray();
    }

    /** For each policy edge, the number of its candidates. */
    public int[] edgeSizes() {
        return layout.counts();
    }

    /**
     * The candidate of every policy edge that {@code architecture} takes (for {@link PathPolicies#fixed}, or to
     * evaluate an architecture on a trained supernet, as SPOS's search does).
     */
    public int[] path(Architecture architecture) {
        return layout.path(architecture);
    }

    /**
     * Where candidate {@code candidate} of op-choice edge {@code edge} runs: one site per place of the network the
     * edge occupies (a layer, or that edge in every placement of its cell), with the op and the shapes it has there
     * (the shapes of the base plan, which op choices do not change). What a per-op cost model (a latency table,
     * as ProxylessNAS') needs to build and time each candidate at its real input shape. A zero op ({@code none})
     * is listed too: the supernet skips it.
     *
     * @throws IllegalArgumentException for an edge that is not an op choice (a channel, input or depth choice,
     *                                  whose candidates are not ops), or indices out of range
     */
    public List<Site> sites(int edge, int candidate) {
        if (edge < 0 || edge >= layout.edges().size()) {
            throw new IllegalArgumentException("edge must be in [0, " + layout.edges().size() + "), but was " + edge);
        }
        SupernetLayout.Edge e = layout.edges().get(edge);
        if (e.kind() != SupernetLayout.Kind.OP && e.kind() != SupernetLayout.Kind.STATE) {
            throw new IllegalArgumentException("edge " + edge + " decides choice '" + space.choices().get(e.choice())
                    .name() + "', a " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " choice: its candidates"
                    + " are not ops");
        }
        if (candidate < 0 || candidate >= e.candidates().size()) {
            throw new IllegalArgumentException("candidate must be in [0, " + e.candidates().size() + ") for edge "
                    + edge + ", but was " + candidate);
        }
        NetworkPlan plan = layout.plan();
        List<Site> out = new ArrayList<>();
        for (int i = 0; i < e.positions().size(); i++) {
            SupernetLayout.Position at = e.positions().get(i);
            String op = e.ops().get(i)[candidate];
            if (e.state()) {
                out.add(stateSite((NetworkPlan.CellStep) plan.steps().get(at.step()), e.states().get(i)[0], op));
            } else if (at.edge() < 0) {
                NetworkPlan.LayerStep l = (NetworkPlan.LayerStep) plan.steps().get(at.step());
                out.add(new Site(op, l.input(), l.output().channels(), l.stride()));
            } else {
                NetworkPlan.EdgeStep s = ((NetworkPlan.CellStep) plan.steps().get(at.step())).edges().get(at.edge());
                out.add(new Site(op, s.input(), s.output().channels(), s.stride()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The site of {@code op} reading {@code state} of {@code cell}: the shape and stride of a cell op reading that
     * state (the cell's inputs all have one shape, and a node's is that of the ops it sums).
     */
    private static Site stateSite(NetworkPlan.CellStep cell, int state, String op) {
        boolean input = state < cell.inputs().size();
        NetworkPlan.EdgeStep like = null;
        for (NetworkPlan.EdgeStep s : cell.edges()) {
            if (s.from() == state || like == null && input && s.from() < cell.inputs().size()) {
                like = s;
            }
        }
        if (like != null) {
            return new Site(op, like.input(), like.output().channels(), like.stride());
        }
        for (NetworkPlan.EdgeStep s : cell.edges()) {
            if (s.to() == state) {
                return new Site(op, s.output(), s.output().channels(), 1);
            }
        }
        throw new IllegalStateException("state " + state + " of cell step '" + cell.name() + "' has no op");
    }

    /**
     * One place where a candidate op runs.
     *
     * @param op          the op's catalogue name
     * @param input       the shape it reads (per sample)
     * @param outChannels the channels it writes
     * @param stride      its stride
     */
    public record Site(String op, org.nas4j.core.space.Shape input, int outChannels, int stride) {
    }

    /** The space. */
    @Override
    public ComposedSpace space() {
        return space;
    }

    /**
     * The architecture of the strongest candidates of a learned policy ({@code softmax} of its {@code alpha}): each
     * value read by op names (a kernel) takes the option with the largest weight summed over the edges reading
     * it, then each op choice the strongest candidate among those the chosen values allow; an exception for a
     * policy without architecture weights.
     */
    @Override
    public Architecture derive() {
        if (!(policy instanceof LearnedPathPolicy learned)) {
            throw new IllegalStateException("derive() needs a policy with architecture weights (mixed, gdas,"
                    + " proxyless), but was " + policy.getClass().getSimpleName());
        }
        double[][] weights = new double[layout.edges().size()][];
        for (int e = 0; e < weights.length; e++) {
            weights[e] = learned.probabilities(e);
        }
        return layout.derive(weights);
    }

    /**
     * The architecture of the strongest candidates by {@code weights} ({@code weights[e][k]}: candidate {@code k} of
     * edge {@code e}, as {@link #derive()} reads the policy's probabilities; larger is stronger), by the same rules,
     * e.g. for a search that scores candidates otherwise (FreeDARTS' synaptic saliency of the architecture
     * parameters).
     */
    public Architecture derive(double[][] weights) {
        if (weights.length != layout.edges().size()) {
            throw new IllegalArgumentException("weights must have one row per edge, " + layout.edges().size()
                    + ", but had " + weights.length);
        }
        for (int e = 0; e < weights.length; e++) {
            if (weights[e].length != layout.counts()[e]) {
                throw new IllegalArgumentException("weights of edge " + e + " must have " + layout.counts()[e]
                        + " entries (its candidates), but had " + weights[e].length);
            }
        }
        return layout.derive(weights);
    }

    /**
     * A supernet edge as a module of a compiled body (the cell's pooling reaches the edge's buffers through {@link
     * DelegatingModule}'s releases); a supernet is not exported (derive, then compile).
     */
    private static final class EdgeModule extends DelegatingModule implements ReluReader {
        private final SupernetEdge edge;

        EdgeModule(SupernetEdge edge) {
            super(edge);
            this.edge = edge;
        }

        @Override
        public boolean needsReluInput() {
            return edge.needsReluInput();
        }

        @Override
        public INDArray forward(INDArray x, INDArray reluX, Mode mode) {
            return edge.forward(x, reluX, mode);
        }

        @Override
        public INDArray reluGradient() {
            return edge.reluGradient();
        }

        @Override
        public String export(GraphSink sink, String input) {
            throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and"
                    + " compile it with SpaceCompiler");
        }
    }
}
