package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ENAS' micro search child ({@code EnasMicroSpace.Builder.searchChild(true)}; melodyguan/enas,
 * {@code src/cifar10/micro_child.py}, {@code _enas_layer}, {@code _enas_cell}, {@code _enas_conv}) as a
 * weight-sharing supernet: its parameter count is the reference's, restricted to one arc it computes the
 * stand-alone network of that arc, a path's gradients match finite differences, only the path's weights get
 * gradients, and each op holds weights per input state.
 */
class EnasMicroSearchNetworkTest {

    /**
     * Normal cell: n2 = sep3(s0) + sep5(s1), n3 = identity(s2) + avg(s0); reduce: n2 = max(s1) + sep3(s1), n3 =
     * sep5(s0) + identity(s2); state 3 alone is unused in both.
     */
    private static final String ARC_A = "0 0 1 1 2 4 0 2  1 3 1 0 0 1 2 4";
    /** Normal: n2 = sep3(s1) + sep5(s1), n3 = avg(s2) + max(s2) (s0 unused); reduce: everything reads s0. */
    private static final String ARC_B = "1 0 1 1 2 2 2 3  0 0 0 1 0 2 0 3";

    /** 3 layers (cells: normal, reduce, normal, reduce, normal), 2 filters, 2 nodes, 1x8x8. */
    static ComposedSpace tiny() {
        return EnasMicroSpace.small().name("enas-micro-search-tiny").searchChild(true).layers(3).outFilters(2)
                .nodes(2).input(1, 8).build();
    }

    /**
     * The parameters of the search supernet at {@code cifar10_micro_search.sh}'s sizes
     * ({@code --child_num_layers=6 --child_out_filters=20 --child_num_cells=5}, 3x32x32, 10 classes), counted by hand
     * from the variables {@code micro_child.py} creates with {@code fixed_arc=None}:
     * <ul>
     *   <li>stem ({@code _model}): 3x3 conv 3 -> 60 and BN: 1,620 + 120 = 1,740;</li>
     *   <li>cells: {@code num_layers + 2 = 8}, {@code pool_layers = [2, 5]}, widths 20, 20, 40, 40, 40, 80, 80, 80.
     *       Node {@code j} (of 5) has {@code num_possible_inputs = j + 2} states, and slots x and y; per (slot,
     *       state) {@code _enas_conv} 3x3 and 5x5, two stacks each of depthwise {@code k*k*C}, pointwise {@code C*C},
     *       BN offset and scale {@code 2C}: {@code 2(9C + C^2 + 2C) + 2(25C + C^2 + 2C) = 4C^2 + 76C} (the pools and
     *       the identity have none: every state has {@code C} channels after calibration, so {@code _enas_cell}'s
     *       channel-fixing convolutions are not created). 2 x (2+3+4+5+6) = 40 (slot, state) pairs per cell:
     *       C=20: 40 x 3,120 = 124,800; C=40: 40 x 9,440 = 377,600; C=80: 40 x 31,680 = 1,267,200; all cells
     *       2 x 124,800 + 3 x 377,600 + 3 x 1,267,200 = 5,184,000;</li>
     *   <li>{@code final_conv}: a {@code C x C} block per state (7) and BN {@code 2C}: 2,840 (C=20), 11,280 (40),
     *       44,960 (80); all cells 2 x 2,840 + 3 x 11,280 + 3 x 44,960 = 174,400;</li>
     *   <li>{@code _maybe_calibrate_size}: layer 0 reads the stem (60 channels) twice: {@code pool_x} and
     *       {@code pool_y}, each 60 x 20 + 40 = 1,240; layer 1 reads [stem, layer 0]: 1,240; layer 2 (reduction)
     *       first reduces layer 1, {@code _factorized_reduction(x, 40, 2)}: 2 x 20 x 20 + 80 = 880, then its cell
     *       reads [layer 1, that]: {@code pool_x} is ReLU and another 880; layer 5: 2 x 40 x 40 + 160 = 3,360
     *       twice; the others read states of their width: 2,480 + 1,240 + 1,760 + 6,720 = 12,200;</li>
     *   <li>{@code fc}: 80 x 10 = 800.</li>
     * </ul>
     * Total 1,740 + 5,184,000 + 174,400 + 12,200 + 800 = 5,373,140.
     */
    @Test
    void theSearchSupernetHoldsTheReferenceSearchChildsParameters() {
        ComposedSpace space = EnasMicroSpace.searchChild();
        assertEquals(40, space.choices().size());
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        assertEquals(5_373_140, supernet.weights().size());
    }

    @Test
    void standAloneSearchChildNetworksHaveTheSpacesCountAndTrain() {
        ComposedSpace search = EnasMicroSpace.searchChild();
        Architecture published = EnasMicroSpace.fromReference(search, EnasMicroSpace.PUBLISHED_ARC);
        assertEquals(529_300, new SpaceCompiler(search).build(published, 1).parameterCount());
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-search-small").searchChild(true).build();
        for (Architecture a : List.of(EnasMicroSpace.fromReference(space, EnasMicroSpace.PUBLISHED_ARC),
                space.sample(new SplittableRandom(11)))) {
            TrainableNetwork net = new SpaceCompiler(space).build(a, 2);
            assertEquals(space.parameters(a), net.parameterCount());
            AdamSteps.assertLossFalls(net, GradientCheck.random(8, 8, 1, 28, 28).castTo(DataType.FLOAT),
                    new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 5, a.toString());
        }
    }

    @Test
    void restrictedToOneArcItIsTheStandAloneNetwork() {
        ComposedSpace space = tiny();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        assertRestrictedSupernetIsTheNetwork(EnasMicroSpace.fromReference(space, ARC_A), x);
        assertRestrictedSupernetIsTheNetwork(EnasMicroSpace.fromReference(space, ARC_B), x);
        assertRestrictedSupernetIsTheNetwork(space.sample(new SplittableRandom(5)), x);
    }

    /**
     * As the reference's search child ({@code _model} sets {@code is_training=True} without {@code fixed_arc}), every
     * batch norm of a search-child network, stand-alone and in the supernet, normalizes with the batch's statistics
     * in inference: its inference output is its training output (the tiny space keeps 1.0, so no dropout), and
     * training passes on other batches, which move the running statistics, leave it unchanged.
     */
    @Test
    void searchChildNetworksNormalizeWithTheBatchInInference() {
        ComposedSpace space = tiny();
        assertTrue(space.batchStatisticsInInference());
        Architecture arch = EnasMicroSpace.fromReference(space, ARC_A);
        INDArray x = GradientCheck.random(21, 3, 1, 8, 8);
        INDArray other = GradientCheck.random(22, 3, 1, 8, 8).muli(4).addi(3);
        TrainableNetwork alone = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(arch, 9);
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                5);
        for (var net : List.<java.util.function.BiFunction<INDArray, Mode, INDArray>>of(alone::forward,
                supernet::forward)) {
            INDArray training = net.apply(x, Mode.TRAINING).dup();
            INDArray inference = net.apply(x, Mode.INFERENCE).dup();
            net.apply(other, Mode.TRAINING);
            net.apply(other, Mode.TRAINING);
            INDArray afterOthers = net.apply(x, Mode.INFERENCE).dup();
            // DOUBLE, the same ops in the same order in both modes: equal to the last bits (1e-15 per op, a few
            // dozen ops deep); running statistics would move the logits by far more than 1e-10 here
            assertTrue(maxDiff(training, inference) < 1e-10, "inference vs training: " + maxDiff(training, inference));
            assertTrue(maxDiff(inference, afterOthers) < 1e-10, "after other batches: "
                    + maxDiff(inference, afterOthers));
        }
        assertFalse(alone.parameters().runningStatistics().isEmpty());
        assertTrue(alone.parameters().runningStatistics().stream()
                .allMatch(org.nas4j.estimators.engine.RunningStatistics::batchStatisticsInInference));
        assertTrue(supernet.weights().runningStatistics().stream()
                .allMatch(org.nas4j.estimators.engine.RunningStatistics::batchStatisticsInInference));
    }

    /**
     * As the reference's search child drops in every pass ({@code is_training=True}), the head's dropout (keep 0.9)
     * of a search-child network, stand-alone and in the supernet, drops in inference too: two inference passes
     * differ, a network built with the same seed repeats them, and with the layer's option switched off inference
     * is deterministic again. The fixed child with the same keep stays deterministic in inference.
     */
    @Test
    void theSearchChildsHeadDropoutDropsInInference() {
        ComposedSpace space = EnasMicroSpace.small().name("enas-micro-search-drop").searchChild(true).layers(3)
                .outFilters(2).nodes(2).input(1, 8).keepProbability("0.9").build();
        assertTrue(space.dropoutInInference());
        assertTrue(space.definition().contains("\n  dropout: also in inference\n"), space.definition());
        Architecture arch = EnasMicroSpace.fromReference(space, ARC_A);
        // 16 samples x 8 head units: two passes draw the same mask with probability 0.82^128, about 1e-11
        INDArray x = GradientCheck.random(23, 16, 1, 8, 8);
        List<java.util.function.Supplier<java.util.Map.Entry<java.util.function.BiFunction<INDArray, Mode, INDArray>,
                org.nas4j.estimators.engine.ParameterSet>>> builds = List.of(
            () -> {
                TrainableNetwork n = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(arch, 9);
                return java.util.Map.entry(n::forward, n.parameters());
            },
            () -> {
                ComposedSupernet n = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                        5);
                return java.util.Map.entry(n::forward, n.weights());
            });
        for (var build : builds) {
            var net = build.get();
            var twin = build.get();
            assertEquals(1, net.getValue().dropouts().size());
            assertTrue(net.getValue().dropouts().get(0).dropInInference());
            INDArray first = net.getKey().apply(x, Mode.INFERENCE).dup();
            INDArray second = net.getKey().apply(x, Mode.INFERENCE).dup();
            assertTrue(maxDiff(first, second) > 1e-3, "two inference passes: " + maxDiff(first, second));
            // the masks come from the network's own seeded generator: the same seed repeats them
            assertEquals(0, maxDiff(first, twin.getKey().apply(x, Mode.INFERENCE)));
            assertEquals(0, maxDiff(second, twin.getKey().apply(x, Mode.INFERENCE)));
            net.getValue().dropouts().forEach(d -> d.dropInInference(false));
            INDArray off = net.getKey().apply(x, Mode.INFERENCE).dup();
            assertEquals(0, maxDiff(off, net.getKey().apply(x, Mode.INFERENCE)));
        }
        ComposedSpace fixed = EnasMicroSpace.small().name("enas-micro-drop").layers(3).outFilters(2).nodes(2)
                .input(1, 8).keepProbability("0.9").build();
        assertFalse(fixed.dropoutInInference());
        assertFalse(fixed.definition().contains("dropout"), fixed.definition());
        TrainableNetwork fixedNet = new SpaceCompiler(fixed).dataType(DataType.DOUBLE)
                .build(EnasMicroSpace.fromReference(fixed, ARC_A), 9);
        assertEquals(1, fixedNet.parameters().dropouts().size());
        assertFalse(fixedNet.parameters().dropouts().get(0).dropInInference());
        INDArray once = fixedNet.forward(x, Mode.INFERENCE).dup();
        assertEquals(0, maxDiff(once, fixedNet.forward(x, Mode.INFERENCE)));
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }

    @Test
    void aPathsGradientsMatchFiniteDifferencesAndOnlyItsWeightsGetThem() {
        ComposedSpace space = tiny();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.DOUBLE, 6);
        Architecture a = EnasMicroSpace.fromReference(space, ARC_A);
        supernet.usePath(supernet.path(a));
        int checked = GradientCheck.checkPath(in -> supernet.forward(in, Mode.TRAINING), supernet::backward,
                supernet.weights(), GradientCheck.random(7, 2, 1, 8, 8), 3);
        assertTrue(checked > 0);
        // arc A reads s0 and s1 in n2 of the normal cell: only the ops it chose there have gradients
        assertMarked(supernet, "normal#0", ".edge0~from0~enas_micro_search_sep_conv_3x3.", true);
        assertMarked(supernet, "normal#0", ".edge0~from0~enas_micro_search_sep_conv_5x5.", false);
        assertMarked(supernet, "normal#0", ".edge0~from1~enas_micro_search_sep_conv_3x3.", false);
        assertMarked(supernet, "normal#0", ".edge1~from1~enas_micro_search_sep_conv_5x5.", true);
        // only state 3 (n3) is unused in A's normal cell: its projection runs, the others' do not
        assertMarked(supernet, "normal#0", ".project~from3.", true);
        for (int state = 0; state < 3; state++) {
            assertMarked(supernet, "normal#0", ".project~from" + state + ".", false);
        }
    }

    @Test
    void arcsThatDifferInWhichStateANodeReadsUseDifferentWeights() {
        ComposedSpace space = tiny();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(4),
                ModuleCatalogue.standard(), DataType.DOUBLE, 6);
        // the same arcs but for the normal cell's n3.x: sep3 on state 0 or on state 1 (state 3 unused in both)
        Architecture fromState0 = EnasMicroSpace.fromReference(space, "0 4 1 4 0 0 2 4  0 4 1 4 2 4 2 4");
        Architecture fromState1 = EnasMicroSpace.fromReference(space, "0 4 1 4 1 0 2 4  0 4 1 4 2 4 2 4");
        String op = "~enas_micro_search_sep_conv_3x3.";
        INDArray x = GradientCheck.random(8, 2, 1, 8, 8);
        step(supernet, fromState0, x);
        assertMarked(supernet, "normal#0", ".edge2~from0" + op, true);
        assertMarked(supernet, "normal#0", ".edge2~from1" + op, false);
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        step(supernet, fromState1, x);
        assertMarked(supernet, "normal#0", ".edge2~from1" + op, true);
        assertMarked(supernet, "normal#0", ".edge2~from0" + op, false);
    }

    private static void step(ComposedSupernet supernet, Architecture a, INDArray x) {
        supernet.usePath(supernet.path(a));
        INDArray y = supernet.forward(x, Mode.TRAINING);
        supernet.backward(y.dup());
    }

    /** Every parameter of {@code cell} whose name contains {@code part} has (or none has) a gradient mark. */
    private static void assertMarked(ComposedSupernet supernet, String cell, String part, boolean marked) {
        String prefix = SpaceCompiler.vertexName(cell) + ".";
        List<Parameter> found = supernet.weights().parameters().stream()
                .filter(p -> p.name().startsWith(prefix) && p.name().contains(part)).toList();
        assertFalse(found.isEmpty(), "no parameter of " + cell + " contains " + part);
        for (Parameter p : found) {
            assertEquals(marked, p.hasGradient(), p.name());
        }
    }

    /**
     * The supernet restricted to {@code arch}, with the stand-alone network's weights copied into the chosen
     * candidates (a node's op on state {@code s}, {@code <cell>.edge<j>.*} in the network, is
     * {@code <cell>.edge<j>~from<s>~<op>.*} in the supernet; the projection of an unused state {@code s}, an output
     * edge {@code <cell>.edge<j>} of the network, is {@code <cell>.project~from<s>}), computes the network, in
     * training and inference.
     */
    private static void assertRestrictedSupernetIsTheNetwork(Architecture arch, INDArray x) {
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                5);
        TrainableNetwork alone = new SpaceCompiler(supernet.space()).dataType(DataType.DOUBLE).build(arch, 9);
        Map<String, Parameter> weights = new HashMap<>();
        supernet.weights().parameters().forEach(p -> weights.put(p.name(), p));
        Map<String, String> renamed = new HashMap<>();
        for (NetworkPlan.Step s : supernet.space().plan(arch).steps()) {
            if (s instanceof NetworkPlan.CellStep c && c.projectsUnusedStates()) {
                String cell = SpaceCompiler.vertexName(c.name());
                for (int j = 0; j < c.graph().edges().size(); j++) {
                    Graph.Edge e = c.graph().edges().get(j);
                    renamed.put(cell + ".edge" + j + ".", j < c.edges().size()
                            ? cell + ".edge" + j + "~from" + e.from() + "~" + e.op() + "."
                            : cell + ".project~from" + e.from() + ".");
                }
            }
        }
        int copied = 0;
        for (Parameter p : alone.parameters().parameters()) {
            String name = p.name();
            for (Map.Entry<String, String> e : renamed.entrySet()) {
                if (name.startsWith(e.getKey())) {
                    name = e.getValue() + name.substring(e.getKey().length());
                }
            }
            Parameter target = weights.get(name);
            assertTrue(target != null, "the supernet has no parameter " + name);
            target.value().assign(p.value());
            copied++;
        }
        assertEquals(alone.parameters().parameters().size(), copied);
        for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
            INDArray expected = alone.forward(x, mode).dup();
            INDArray actual = supernet.forward(x, mode);
            // DOUBLE; the two compute the same ops in the same order: only summation order may differ (1e-15 per
            // op, a few dozen ops deep, BN dividing by deviations above 1e-3): far below 1e-10, while projecting the
            // used states too moved the logits of arc A by 6.6e-3 (checked by breaking the gate once)
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff < 1e-10, arch + " " + mode + ": " + diff);
        }
    }
}
