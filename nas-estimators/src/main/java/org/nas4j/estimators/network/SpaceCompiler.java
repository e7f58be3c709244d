package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.builder.ComposedForm;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Compiles architectures of a {@link ComposedSpace} (a space made with the space builder), or of any space through
 * its {@link ComposedForm} (NAS-Bench-201), into stand-alone trainable networks: it lays the network out with
 * {@link ComposedSpace#plan} and makes every step's module from a {@link ModuleCatalogue} (layers; cells as
 * {@link GraphCell}s with their inputs' preprocessing; the head; the auxiliary head when the space has one). Its
 * parameter count is the plan's, so it equals {@link ComposedSpace#parameters} (without the auxiliary head when its
 * weight is 0). The networks train with {@code TrainingEstimator} and export to DL4J like every compiled network.
 * Options: the weight of the auxiliary loss, and drop-path after the cells' ops in training (DARTS'
 * {@code train.py}; {@link DartsFactory} sets both). When the space asks for it
 * ({@link ComposedSpace#batchStatisticsInInference()}: ENAS' micro search child), every batch norm normalizes with
 * the batch's statistics in inference too, and when it asks for it ({@link ComposedSpace#dropoutInInference()}: the
 * same child) every dropout layer drops in inference too, with its own seeded generator.
 * Immutable.
 *
 * <pre>{@code
 * SpaceCompiler compiler = new SpaceCompiler(space);
 * TrainableNetwork net = compiler.build(space.sample(rng), 42);
 * NasBench201Space nb201 = NasBench201Space.standard();
 * TrainableNetwork cell = new SpaceCompiler(nb201.composedForm().orElseThrow()).build(nb201.parse("|..."), 42);
 * }</pre>
 */
public final class SpaceCompiler implements NetworkFactory {

    private final ComposedForm form;
    private final ComposedSpace space;
    private final ModuleCatalogue modules;
    private final DataType dataType;
    private final double auxiliaryWeight;
    private final double dropPathProbability;

    /**
     * A compiler of FLOAT networks with the standard modules; the auxiliary loss, when the space has an auxiliary
     * head, weighs {@link DartsFactory#DEFAULT_AUXILIARY_WEIGHT}.
     */
    public SpaceCompiler(ComposedSpace space) {
        this(ComposedForm.of(space));
    }

    /**
     * A compiler of the architectures of {@code form}'s original space (e.g. NAS-Bench-201's), built as the networks
     * of their translations into {@code form.space()}; otherwise as {@link #SpaceCompiler(ComposedSpace)}.
     */
    public SpaceCompiler(ComposedForm form) {
        this(form, ModuleCatalogue.standard(), DataType.FLOAT, DartsFactory.DEFAULT_AUXILIARY_WEIGHT, 0);
    }

    private SpaceCompiler(ComposedForm form, ModuleCatalogue modules, DataType dataType, double auxiliaryWeight,
            double dropPathProbability) {
        this.form = Objects.requireNonNull(form, "form");
        this.space = form.space();
        this.modules = Objects.requireNonNull(modules, "modules");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.auxiliaryWeight = auxiliaryWeight;
        this.dropPathProbability = dropPathProbability;
    }

    /** A copy that makes modules from {@code catalogue} (for ops of your own). Default {@link ModuleCatalogue#standard()}. */
    public SpaceCompiler modules(ModuleCatalogue catalogue) {
        return new SpaceCompiler(form, catalogue, dataType, auxiliaryWeight, dropPathProbability);
    }

    /** A copy whose networks hold their parameters in {@code type} (DOUBLE for gradient checks). Default FLOAT. */
    public SpaceCompiler dataType(DataType type) {
        return new SpaceCompiler(form, modules, type, auxiliaryWeight, dropPathProbability);
    }

    /**
     * A copy whose auxiliary loss (when the space has an auxiliary head) weighs {@code weight}, finite and >= 0; 0
     * builds no auxiliary head. Default {@link DartsFactory#DEFAULT_AUXILIARY_WEIGHT}.
     */
    public SpaceCompiler auxiliaryWeight(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("auxiliaryWeight must be finite and >= 0, but was " + weight);
        }
        return new SpaceCompiler(form, modules, dataType, weight, dropPathProbability);
    }

    /**
     * A copy whose networks drop, in training, the output of every cell edge op but a stride-1 {@code skip_connect}
     * (the reference DARTS {@code Cell.forward}) with probability {@code probability}, in [0, 1); 0 = no drop-path.
     * The networks start with it and a trainer may change it each epoch through
     * {@link TrainableNetwork#dropPathRate()}; masks derive from the network's seed. Default 0.
     */
    public SpaceCompiler dropPath(double probability) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("dropPathProbability must be in [0, 1), but was " + probability);
        }
        return new SpaceCompiler(form, modules, dataType, auxiliaryWeight, probability);
    }

    /** The space it compiles, written with the builder. */
    public ComposedSpace space() {
        return space;
    }

    /** The space whose architectures it builds and how they translate into {@link #space()}. */
    public ComposedForm form() {
        return form;
    }

    /** Builds the network of {@code architecture}, an architecture of {@code form().original()}. */
    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        NetworkPlan plan = space.plan(form.toComposed(architecture));
        ParameterSet params = new ParameterSet(dataType, seed);
        StepModules fixed = new StepModules() {
            @Override
            public Module layer(int step, NetworkPlan.LayerStep l, String name) {
                return modules.create(params, name, l.op(), l.input().channels(), l.output().channels(), l.stride());
            }

            @Override
            public Graph graph(int step, NetworkPlan.CellStep c) {
                return c.graph();
            }

            @Override
            public OpFactory cellOps(int step) {
                return modules.asOpFactory();
            }

            @Override
            public ArrayPool pool() {
                return null;
            }
        };
        DropPathRate rate = dropPathProbability > 0 ? new DropPathRate(dropPathProbability) : null;
        List<PlanBody.Unit> units = units(plan, params, modules, fixed, rate, seed);
        Module auxiliary = null;
        double weight = 0;
        if (plan.auxiliary() != null && auxiliaryWeight > 0) {
            NetworkPlan.LayerStep a = plan.auxiliary();
            auxiliary = modules.create(params, vertexName(a.name()), a.op(), a.input().channels(),
                    a.output().channels(), 1);
            weight = auxiliaryWeight;
        }
        PlanBody body = new PlanBody(units, auxiliary, plan.auxiliaryInput() + 1);
        inferenceOptions(space, params);
        return new TrainableNetwork(architecture.toString(), params, body, space.inputShape().channels(),
                space.inputShape().height(), space.inputShape().width(), space.classes(), weight, rate);
    }

    /** How the steps of a plan become modules: the stand-alone network's ops, or a supernet's edges. */
    interface StepModules {
        /** The module of layer step {@code step}. */
        Module layer(int step, NetworkPlan.LayerStep l, String name);

        /** The graph that cell step {@code step} executes. */
        Graph graph(int step, NetworkPlan.CellStep c);

        /** The op factory of cell step {@code step}'s edges. */
        OpFactory cellOps(int step);

        /** Where cells hand their buffers after their backward pass (a supernet's pool), or null to keep them. */
        ArrayPool pool();
    }

    /**
     * The units of {@code plan}'s steps, declaring their parameters in step order: a layer reads the step before
     * it; a cell reads the one or two steps before it, preprocessed to its channels; a join the states it names.
     *
     * @param dropPath the drop-path probability of the cells' edges, or null for none
     * @param seed     root of the drop-path masks
     */
    static List<PlanBody.Unit> units(NetworkPlan plan, ParameterSet params, ModuleCatalogue modules,
            StepModules steps, DropPathRate dropPath, long seed) {
        List<PlanBody.Unit> units = new ArrayList<>();
        int previous = 0;
        int current = 0;
        for (int i = 0; i < plan.steps().size(); i++) {
            NetworkPlan.Step step = plan.steps().get(i);
            String name = vertexName(step.name());
            if (step instanceof NetworkPlan.LayerStep l) {
                units.add(new PlanBody.Unit(steps.layer(i, l, name), null, null, null, new int[] {current}));
                previous = i + 1;
            } else if (step instanceof NetworkPlan.CellStep c) {
                units.add(cell(params, name, c, previous, current, modules, steps.graph(i, c), steps.cellOps(i),
                        dropPath, seed, steps.pool()));
                previous = current;
            }
            current = i + 1;
        }
        return units;
    }

    private static PlanBody.Unit cell(ParameterSet params, String name, NetworkPlan.CellStep c, int previous,
            int current, ModuleCatalogue modules, Graph graph, OpFactory ops, DropPathRate dropPath, long seed,
            ArrayPool pool) {
        int ch = c.channels();
        if (c.join()) {
            int[] channels = c.inputs().stream().mapToInt(org.nas4j.core.space.Shape::channels).toArray();
            GraphCell cell = new GraphCell(params, name, graph, ops, channels, ch, c.reduction(), dropPath, seed,
                    pool);
            return new PlanBody.Unit(null, cell, null, null, c.sources().stream().mapToInt(Integer::intValue)
                    .toArray());
        }
        if (c.inputs().size() == 1) {
            GraphCell cell = new GraphCell(params, name, graph, ops, new int[] {ch}, ch, c.reduction(), dropPath,
                    seed, pool);
            return new PlanBody.Unit(null, cell, null, null, new int[] {current});
        }
        Module pre0 = modules.create(params, name + ".pre0", c.preprocess().get(0), c.inputs().get(0).channels(), ch,
                1);
        Module pre1 = modules.create(params, name + ".pre1", c.preprocess().get(1), c.inputs().get(1).channels(), ch,
                1);
        GraphCell cell = new GraphCell(params, name, graph, ops, new int[] {ch, ch}, ch, c.reduction(), dropPath,
                seed, pool);
        return new PlanBody.Unit(null, cell, pre0, pre1, new int[] {previous, current});
    }

    /**
     * Switches every batch norm registered with {@code sets} to the batch's statistics in inference when
     * {@code space} asks for it ({@link ComposedSpace#batchStatisticsInInference()}), and every dropout layer on in
     * inference when it asks for that ({@link ComposedSpace#dropoutInInference()}).
     */
    static void inferenceOptions(ComposedSpace space, ParameterSet... sets) {
        if (space.batchStatisticsInInference()) {
            for (ParameterSet set : sets) {
                set.runningStatistics().forEach(s -> s.batchStatisticsInInference(true));
            }
        }
        if (space.dropoutInInference()) {
            for (ParameterSet set : sets) {
                set.dropouts().forEach(d -> d.dropInInference(true));
            }
        }
    }

        /** A step name as a parameter and vertex prefix: letters, digits, '.', '_' and '-' only. */
    static String vertexName(String stepName) {
        return stepName.replace("[", "_").replace("]", "").replace("#", "_").replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** {@code composed(space=<definition>, auxiliaryWeight=, dropPathProbability=, dataType=, modules=[...])}. */
    @Override
    public Configuration configuration() {
        return Configuration.of("composed").with("space", space.identity()).with("auxiliaryWeight", auxiliaryWeight)
                .with("dropPathProbability", dropPathProbability).with("dataType", dataType)
                .with("modules", String.join(",", modules.names()));
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        return OptionalLong.of(space.multiplyAdds(form.toComposed(architecture)));
    }

    @Override
    public String toString() {
        return configuration().toString();
    }
}
