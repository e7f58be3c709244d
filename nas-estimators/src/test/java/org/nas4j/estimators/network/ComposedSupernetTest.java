package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class ComposedSupernetTest {

    static ComposedSpace nb201() {
        return NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1).inputChannels(1)
                .imageSize(8).build());
    }

    /** Two op choices of four ops each between a stem and a head. */
    static ComposedSpace chain() {
        List<String> ops = List.of("nor_conv_3x3", "sep_conv_3x3", "max_pool_3x3", "skip_connect");
        return SpaceBuilder.create("chain").input(1, 8, 8).layer("stem", "conv_bn_3x3", Width.of(4))
                .choice("a", ops).choice("b", ops).head("pool_linear").build();
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = nb201();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        for (String cell : NetworkCompilerTest.CELLS) {
            Architecture a = Architecture.of(space, NasBench201Space.standard().parse(cell).vector());
            ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.fixed(a.vector()),
                    ModuleCatalogue.standard(), DataType.DOUBLE, 5);
            TrainableNetwork alone = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 9);
            int copied = copyWeights(supernet, alone);
            assertEquals(alone.parameters().parameters().size(), copied, cell);
            for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
                INDArray expected = alone.forward(x, mode).dup();
                INDArray actual = supernet.forward(x, mode);
                double diff = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
                assertTrue(diff < 1e-10, cell + " " + mode + ": " + diff);
            }
        }
    }

    @Test
    void weightedPathsHaveFiniteDifferenceGradients() {
        for (ComposedSpace space : List.of(nb201(), chain())) {
            ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(),
                    ModuleCatalogue.standard(), DataType.DOUBLE, 2);
            for (ParameterSet set : List.of(supernet.weights(), supernet.architectureParameters())) {
                GradientCheck.check(in -> supernet.forward(in, Mode.TRAINING), supernet::backward, set,
                        GradientCheck.random(4, 2, 1, 8, 8), 3);
            }
        }
    }

    @Test
    void aSampledPathHasFiniteDifferenceGradients() {
        ComposedSpace space = chain();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.fixed(new int[] {1, 0}),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        GradientCheck.check(in -> supernet.forward(in, Mode.TRAINING), supernet::backward, null,
                GradientCheck.random(4, 2, 1, 8, 8), 20);
        ComposedSupernet single = ComposedSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray y = single.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING);
        assertEquals(2, y.size(0));
        single.backward(y.dup());
    }

    @Test
    void derivesTheStrongestOpOfEveryEdge() {
        ComposedSpace space = nb201();
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.FLOAT, 2);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        int[] wanted = {3, 0, 2, 1, 4, 3};
        for (int e = 0; e < wanted.length; e++) {
            alpha.putScalar(e, wanted[e], 5.0);
        }
        Architecture derived = supernet.derive();
        assertEquals(Architecture.of(space, wanted), derived);
        assertEquals("cell.n1=nor_conv_3x3~0; cell.n2=none~0+nor_conv_1x1~1;"
                + " cell.n3=skip_connect~0+avg_pool_3x3~1+nor_conv_3x3~2", derived.toString());
    }

    @Test
    void refusesChoicesItDoesNotCompileYet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposedSupernet.compile(
                ComposedSpaces.blocks(), PathPolicies.mixed(), ModuleCatalogue.standard(), DataType.FLOAT, 1));
        assertTrue(e.getMessage().contains("choice 'width' of space 'blocks' is a channel choice that sizes cell"
                + " step 'cell#0' (at option '4'); the supernet slices channels of layers only"), e.getMessage());
    }

    /** Copies the supernet's weights of the chosen ops into the stand-alone network, by name; returns how many. */
    private static int copyWeights(ComposedSupernet supernet, TrainableNetwork alone) {
        Map<String, Parameter> byName = new HashMap<>();
        for (Parameter p : alone.parameters().parameters()) {
            byName.put(p.name(), p);
        }
        int copied = 0;
        for (Parameter p : supernet.weights().parameters()) {
            Parameter target = byName.get(p.name().replaceAll("~[A-Za-z0-9_]+", ""));
            if (target != null) {
                target.value().assign(p.value());
                copied++;
            }
        }
        return copied;
    }
}
