package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Zero;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.SupernetEdge;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight-sharing supernet of a {@link ComposedSpace}, compiled from the same plan as its stand-alone networks
 * ({@link SpaceCompiler}): every op choice (of a layer, or of a cell edge, shared by every placement of the cell)
 * is a {@link SupernetEdge} holding each candidate op once, combined under a {@link PathPolicy} (DARTS' weighted
 * sum, GDAS, a sampled single path, ProxylessNAS, a fixed path, path dropout); everything else is as in the
 * stand-alone network. {@link #derive()} gives back the architecture of a learned policy. Not thread-safe.
 *
 * <p>Edge {@code e} of the policy is the space's {@code e}-th op choice ({@link #edgeChoices()}). This first version
 * takes spaces whose choices are all op choices with the same number of options (NAS-Bench-201 written with the
 * builder, chains of op choices); input choices, depth choices and value choices (channel slicing, kernel
 * choices) are refused with a message naming the choice.
 *
 * <pre>{@code
 * ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
 *         DataType.FLOAT, 42);
 * INDArray logits = supernet.forward(images, Mode.TRAINING);
 * supernet.backward(loss.backward());
 * Architecture best = supernet.derive();
 * }</pre>
 */
public final class ComposedSupernet {

    private final ComposedSpace space;
    private final ParameterSet params;
    private final PathPolicy policy;
    private final PlanBody body;
    private final int[] edgeChoices;

    private ComposedSupernet(ComposedSpace space, ParameterSet params, PathPolicy policy, PlanBody body,
            int[] edgeChoices) {
        this.space = space;
        this.params = params;
        this.policy = policy;
        this.body = body;
        this.edgeChoices = edgeChoices;
    }

    /**
     * Compiles the supernet of {@code space}.
     *
     * @param space    a space whose choices are all op choices with the same number of options
     * @param policy   how edges combine their candidates
     * @param modules  the modules of the ops
     * @param dataType the parameters' type (DOUBLE for gradient checks)
     * @param seed     seed of the initial weights
     * @return the supernet, parameters sealed
     */
    public static ComposedSupernet compile(ComposedSpace space, PathPolicy.Factory policy, ModuleCatalogue modules,
            DataType dataType, long seed) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(modules, "modules");
        List<Choice> choices = space.choices();
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("space '" + space.name() + "' has no choice: it has no supernet");
        }
        int ops = choices.get(0).size();
        for (Choice c : choices) {
            if (c.kind() != Choice.Kind.OPERATION) {
                throw new IllegalArgumentException("supernets of builder spaces take op choices only for now, but"
                        + " choice '" + c.name() + "' of space '" + space.name() + "' is a " + c.kind() + " choice");
            }
            if (c.size() != ops) {
                throw new IllegalArgumentException("every op choice of a supernet must have the same number of ops ("
                        + ops + ", as '" + choices.get(0).name() + "'), but '" + c.name() + "' has " + c.size());
            }
        }
        int[] edgeChoices = new int[choices.size()];
        for (int e = 0; e < edgeChoices.length; e++) {
            edgeChoices[e] = e;
        }
        Architecture base = Architecture.of(space, new int[choices.size()]);
        NetworkPlan plan = space.plan(base);
        // the plan of each option of each choice gives the op every step or edge it governs takes
        NetworkPlan[][] options = new NetworkPlan[choices.size()][ops];
        for (int c = 0; c < choices.size(); c++) {
            for (int o = 0; o < ops; o++) {
                options[c][o] = space.plan(base.with(c, o));
            }
        }
        ParameterSet params = new ParameterSet(dataType, seed);
        PathPolicy path = policy.create(params, choices.size(), ops);
        ArrayPool pool = new ArrayPool();
        OpCatalogue catalogue = space.catalogue();
        SpaceCompiler.StepModules steps = new SpaceCompiler.StepModules() {
            @Override
            public Module layer(int step, NetworkPlan.LayerStep l, String name) {
                if (l.choice() < 0) {
                    return modules.create(params, name, l.op(), l.input().channels(), l.output().channels(),
                            l.stride());
                }
                Layer[] candidates = new Layer[ops];
                for (int o = 0; o < ops; o++) {
                    String op = ((NetworkPlan.LayerStep) options[l.choice()][o].steps().get(step)).op();
                    candidates[o] = candidate(modules, catalogue, params, name, op, l.input().channels(),
                            l.output().channels(), l.stride());
                }
                return new EdgeModule(new SupernetEdge(l.choice(), candidates, path, pool));
            }

            @Override
            public Graph graph(int step, NetworkPlan.CellStep c) {
                List<Graph.Edge> edges = new ArrayList<>(c.graph().edges());
                for (int j = 0; j < c.edges().size(); j++) {
                    NetworkPlan.EdgeStep e = c.edges().get(j);
                    if (e.choice() >= 0) {
                        edges.set(j, new Graph.Edge(e.from(), e.to(), token(step, j, e.choice())));
                    }
                }
                return new Graph(c.graph().name(), c.graph().nodes(), edges);
            }

            @Override
            public OpFactory cellOps(int step) {
                return (p, name, op, in, out, stride) -> {
                    if (!op.startsWith(TOKEN)) {
                        return modules.create(p, name, op, in, out, stride);
                    }
                    String[] parts = op.substring(TOKEN.length()).split(":");
                    int edge = Integer.parseInt(parts[1]);
                    int choice = Integer.parseInt(parts[2]);
                    Layer[] candidates = new Layer[ops];
                    for (int o = 0; o < ops; o++) {
                        String candidate = ((NetworkPlan.CellStep) options[choice][o].steps().get(step)).edges()
                                .get(edge).op();
                        candidates[o] = candidate(modules, catalogue, p, name, candidate, in, out, stride);
                    }
                    return new EdgeModule(new SupernetEdge(choice, candidates, path, pool));
                };
            }
        };
        List<PlanBody.Unit> units = SpaceCompiler.units(plan, params, modules, steps);
        PlanBody body = new PlanBody(units, null, 0);
        params.seal();
        return new ComposedSupernet(space, params, path, body, edgeChoices);
    }

    private static final String TOKEN = "supernet-edge:";

    private static String token(int step, int edge, int choice) {
        return TOKEN + step + ":" + edge + ":" + choice;
    }

    /** A candidate: the zero op as {@link Zero} (the edge skips it), any other from the modules. */
    private static Layer candidate(ModuleCatalogue modules, OpCatalogue catalogue, ParameterSet params, String name,
            String op, int in, int out, int stride) {
        if (catalogue.entry(op).kind() == OpCatalogue.Kind.ZERO) {
            return new Zero(stride);
        }
        return modules.create(params, name + "~" + op, op, in, out, stride);
    }

    /** The logits for {@code images}; starts a pass of the policy (which draws its paths). */
    public INDArray forward(INDArray images, Mode mode) {
        policy.beginPass(mode);
        return body.forward(images, mode);
    }

    /** Back-propagates the gradient of the logits; writes weight and architecture-weight gradients. */
    public INDArray backward(INDArray gradLogits) {
        INDArray g = body.backward(gradLogits);
        policy.endBackward();
        return g;
    }

    /** Every parameter: the candidates' weights and the policy's architecture weights (if any). */
    public ParameterSet parameters() {
        return params;
    }

    /** The path policy. */
    public PathPolicy policy() {
        return policy;
    }

    /** For each policy edge, the index of the op choice it is in the space's choice vector. */
    public int[] edgeChoices() {
        return edgeChoices.clone();
    }

    /** The space. */
    public ComposedSpace space() {
        return space;
    }

    /**
     * The architecture of the strongest op of every edge ({@code argmax alpha}) of a learned policy; an exception
     * for a policy without architecture weights.
     */
    public Architecture derive() {
        if (!(policy instanceof LearnedPathPolicy learned)) {
            throw new IllegalStateException("derive() needs a policy with architecture weights (mixed, gdas,"
                    + " proxyless), but was " + policy.getClass().getSimpleName());
        }
        INDArray alpha = learned.alpha().value();
        int[] v = new int[space.choices().size()];
        for (int e = 0; e < edgeChoices.length; e++) {
            v[edgeChoices[e]] = (int) alpha.getRow(e).argMax().getInt(0);
        }
        return Architecture.of(space, v);
    }

    /** A supernet edge as a module of a compiled body; a supernet is not exported (derive, then compile). */
    private record EdgeModule(SupernetEdge edge) implements Module {
        @Override
        public INDArray forward(INDArray input, Mode mode) {
            return edge.forward(input, mode);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return edge.backward(gradOutput);
        }

        @Override
        public String export(GraphSink sink, String input) {
            throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and"
                    + " compile it with SpaceCompiler");
        }
    }
}
