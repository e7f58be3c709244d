package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.NetworkPlan;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Supernets of builder spaces with op choices of different sizes and kernel choices (ProxylessNAS' candidates). */
class ComposedSupernetChoicesTest {

    /**
     * A kernel {@code k} shared by two layers; op choices of 3, 2 and 2 ops, i.e. edges of 4 candidates
     * (nor_conv_3x3, nor_conv_5x5, max_pool_3x3, skip_connect), 3 (conv_bn_relu_3x3, conv_bn_relu_5x5,
     * avg_pool_3x3) and 2.
     */
    static ComposedSpace kernels() {
        return SpaceBuilder.create("kernels").input(1, 8, 8).classes(3).value("k", 3, 5)
                .layer("stem", "conv_bn_3x3", Width.of(4))
                .choice("a", List.of("nor_conv_{k}x{k}", "max_pool_3x3", "skip_connect"))
                .choice("b", List.of("conv_bn_relu_{k}x{k}", "avg_pool_3x3"))
                .choice("c", List.of("sep_conv_3x3", "nor_conv_1x1"))
                .head("pool_linear").build();
    }

    @Test
    void everyEdgeHasTheCrossProductOfItsOpsAndKernelsAsCandidates() {
        ComposedSupernet supernet = ComposedSupernet.compile(kernels(), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        assertEquals("[k, a, b, c]", supernet.space().choices().stream().map(c -> c.name()).toList().toString());
        assertArrayEquals(new int[] {1, 2, 3}, supernet.edgeChoices());
        assertArrayEquals(new int[] {4, 3, 2}, supernet.edgeSizes());
        List<String> names = supernet.weights().parameters().stream().map(Parameter::name).toList();
        assertTrue(names.stream().anyMatch(n -> n.startsWith("a~nor_conv_5x5")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("b~conv_bn_relu_3x3")), names.toString());
        assertEquals(0, names.stream().filter(n -> n.equals("alpha")).count());
        assertEquals(List.of("alpha"), supernet.architectureParameters().parameters().stream().map(Parameter::name)
                .toList());
        ComposedSpace space = supernet.space();
        assertArrayEquals(new int[] {1, 2, 0},
                supernet.path(space.parse("k=5; a=nor_conv_{k}x{k}; b=avg_pool_3x3; c=sep_conv_3x3")));
        assertArrayEquals(new int[] {3, 0, 1},
                supernet.path(space.parse("k=3; a=skip_connect; b=conv_bn_relu_{k}x{k}; c=nor_conv_1x1")));
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = kernels();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        for (int k = 0; k < 2; k++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 2; b++) {
                    for (int c = 0; c < 2; c++) {
                        Architecture arch = Architecture.of(space, k, a, b, c);
                        assertSameOutput(arch, x);
                    }
                }
            }
        }
    }

    /** Compiles the supernet restricted to {@code arch}, copies its weights into the stand-alone network, compares. */
    static void assertSameOutput(Architecture arch, INDArray x) {
        ComposedSupernet supernet = ComposedSupernet.restrictedTo(arch, ModuleCatalogue.standard(), DataType.DOUBLE,
                5);
        TrainableNetwork alone = new SpaceCompiler(supernet.space()).dataType(DataType.DOUBLE).build(arch, 9);
        assertEquals(alone.parameters().parameters().size(), copyWeights(supernet, alone, arch), arch.toString());
        for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
            INDArray expected = alone.forward(x, mode).dup();
            INDArray actual = supernet.forward(x, mode);
            double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
            assertTrue(diff < 1e-10, arch + " " + mode + ": " + diff);
        }
    }

    @Test
    void weightedAndSampledPathsHaveFiniteDifferenceGradients() {
        ComposedSpace space = kernels();
        ComposedSupernet mixed = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        for (ParameterSet set : List.of(mixed.weights(), mixed.architectureParameters())) {
            GradientCheck.check(in -> mixed.forward(in, Mode.TRAINING), mixed::backward, set,
                    GradientCheck.random(4, 2, 1, 8, 8), 3);
        }
        ComposedSupernet single = ComposedSupernet.compile(space, PathPolicies.fixed(new int[] {1, 1, 0}),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        GradientCheck.check(in -> single.forward(in, Mode.TRAINING), single::backward, null,
                GradientCheck.random(4, 2, 1, 8, 8), 20);
    }

    @Test
    void aSampledPathRunsOneCandidateOfEachEdgeAndWritesOnlyItsGradients() {
        ComposedSupernet supernet = ComposedSupernet.compile(kernels(), PathPolicies.singlePath(7),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray y = supernet.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING);
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        supernet.backward(y.dup());
        int[] drawn = ((org.nas4j.estimators.engine.supernet.SinglePathPolicy) supernet.policy()).current();
        String[][] candidates = {{"a~nor_conv_3x3", "a~nor_conv_5x5", "a~max_pool_3x3", "a~skip_connect"},
            {"b~conv_bn_relu_3x3", "b~conv_bn_relu_5x5", "b~avg_pool_3x3"}, {"c~sep_conv_3x3", "c~nor_conv_1x1"}};
        for (Parameter p : supernet.weights().parameters()) {
            for (int e = 0; e < candidates.length; e++) {
                for (int k = 0; k < candidates[e].length; k++) {
                    if (p.name().startsWith(candidates[e][k] + ".")) {
                        assertEquals(k == drawn[e], p.hasGradient(), p.name() + " drawn " + drawn[e]);
                    }
                }
            }
        }
    }

    @Test
    void derivesOneKernelForEveryLayerReadingItThenEachOpUnderThatKernel() {
        ComposedSupernet supernet = ComposedSupernet.compile(kernels(), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        // a: nor_conv_5x5 strongly; b: conv_bn_relu_3x3 best, but under k = 5 avg_pool_3x3 beats conv_bn_relu_5x5
        alpha.assign(Nd4j.createFromArray(new double[][] {{0, 4, 0, 0}, {1, 0, 0.5, 9}, {0, 2, 0, 0}}));
        Architecture derived = supernet.derive();
        assertEquals("k=5; a=nor_conv_{k}x{k}; b=avg_pool_3x3; c=nor_conv_1x1", derived.toString());
        // the padding of alpha's rows (9 in row 1, column 3) is no candidate
        alpha.assign(Nd4j.createFromArray(new double[][] {{3, 0, 0, 0}, {0, 0, 1, 9}, {1, 0, 0, 0}}));
        assertEquals("k=3; a=nor_conv_{k}x{k}; b=avg_pool_3x3; c=sep_conv_3x3", supernet.derive().toString());
    }

    @Test
    void aFactoryForOneOpCountRefusesEdgesOfDifferentSizesNamingThem() {
        PathPolicy.Factory uniformOnly = (params, edges, ops) -> PathPolicies.singlePath(1).create(params, edges,
                ops);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposedSupernet.compile(
                kernels(), uniformOnly, ModuleCatalogue.standard(), DataType.FLOAT, 1));
        assertTrue(e.getMessage().contains("edge 1 has 3 and edge 0 has 4"), e.getMessage());
    }

    /**
     * Copies the weights of the candidates {@code arch} chooses into the stand-alone network, by name (a candidate's
     * parameters are its place's parameters with {@code ~op} appended to the place); returns how many.
     */
    static int copyWeights(ComposedSupernet supernet, TrainableNetwork alone, Architecture arch) {
        Map<String, String> chosen = new HashMap<>();
        // a node relaxed as DARTS does has one edge per state, named after the node and the state it reads
        Map<String, String[]> states = new HashMap<>();
        for (NetworkPlan.Step step : supernet.space().plan(arch).steps()) {
            String name = SpaceCompiler.vertexName(step.name());
            if (step instanceof NetworkPlan.LayerStep l) {
                chosen.put(name, l.op());
            } else if (step instanceof NetworkPlan.CellStep c) {
                for (int i = 0; i < c.edges().size(); i++) {
                    // a cell edge whose input is chosen is named after the state it reads too
                    chosen.put(name + ".edge" + i, c.edges().get(i).op());
                    chosen.put(name + ".edge" + i + "~from", "from" + c.edges().get(i).from());
                    states.put(name + ".node" + c.edges().get(i).to() + "~from" + c.edges().get(i).from(),
                            new String[] {c.edges().get(i).op(), name + ".edge" + i});
                }
            }
        }
        Map<String, Parameter> byName = new HashMap<>();
        for (Parameter p : alone.parameters().parameters()) {
            byName.put(p.name(), p);
        }
        int copied = 0;
        for (Parameter p : supernet.weights().parameters()) {
            String name = p.name();
            int tilde = name.indexOf('~');
            if (tilde >= 0) {
                int end = name.indexOf('.', name.lastIndexOf('~'));
                String place = name.substring(0, tilde);
                String[] segments = name.substring(tilde + 1, end < 0 ? name.length() : end).split("~");
                String op = segments[segments.length - 1];
                String[] state = segments.length == 2 ? states.get(place + "~" + segments[0]) : null;
                if (state != null) {
                    if (!op.equals(state[0])) {
                        continue;
                    }
                    name = state[1] + (end < 0 ? "" : name.substring(end));
                } else {
                    boolean fromMatches = segments.length == 1 || segments[0].equals(chosen.get(place + "~from"));
                    if (!op.equals(chosen.get(place)) || !fromMatches) {
                        continue;
                    }
                    name = place + (end < 0 ? "" : name.substring(end));
                }
            }
            Parameter target = byName.get(name);
            if (target != null) {
                // a narrower layer takes the leading block of the widest weights (channel slicing)
                long[] shape = target.value().shape();
                org.nd4j.linalg.indexing.INDArrayIndex[] block = new org.nd4j.linalg.indexing.INDArrayIndex[shape.length];
                for (int a = 0; a < shape.length; a++) {
                    assertTrue(shape[a] <= p.value().size(a), name);
                    block[a] = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shape[a]);
                }
                target.value().assign(p.value().get(block));
                copied++;
            }
        }
        return copied;
    }
}
