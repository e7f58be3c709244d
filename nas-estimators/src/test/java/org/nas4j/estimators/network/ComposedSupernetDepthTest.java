package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Supernets of builder spaces with a depth choice: the deepest stack built once, a depth runs its first blocks. */
class ComposedSupernetDepthTest {

    /** 1 to 3 blocks, each choosing its op and kernel. */
    static ComposedSpace deep() {
        return SpaceBuilder.create("deep").input(1, 8, 8).classes(3).layer("stem", "conv_bn_3x3", Width.of(4))
                .repeat("blocks", 1, 3, b -> b.value("k", 3, 5)
                        .choice("op", List.of("nor_conv_{k}x{k}", "skip_connect")))
                .head("bn_relu_pool_linear").build();
    }

    @Test
    void theDepthIsAnEdgeOverItsOptions() {
        ComposedSupernet supernet = ComposedSupernet.compile(deep(), PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.FLOAT, 1);
        ComposedSpace space = supernet.space();
        int[] choices = supernet.edgeChoices();
        assertEquals("blocks", space.choices().get(choices[choices.length - 1]).name());
        assertEquals(3, supernet.edgeSizes()[choices.length - 1]);
        // every repetition's op choice, with its own kernel: 3 candidates each
        assertEquals(4, choices.length);
        assertArrayEquals(new int[] {3, 3, 3, 3}, supernet.edgeSizes());
        Architecture two = space.parse("blocks=2; blocks[0].k=5; blocks[0].op=nor_conv_{k}x{k};"
                + " blocks[1].k=3; blocks[1].op=skip_connect");
        assertArrayEquals(new int[] {1, 2, 0, 1}, supernet.path(two));
    }

    @Test
    void restrictedToOneArchitectureItGivesTheStandAloneOutput() {
        ComposedSpace space = deep();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        SplittableRandom rng = new SplittableRandom(2);
        java.util.Set<String> depths = new java.util.HashSet<>();
        for (int i = 0; i < 8; i++) {
            Architecture a = space.sample(rng);
            depths.add(a.option("blocks"));
            ComposedSupernetChoicesTest.assertSameOutput(a, x);
        }
        assertEquals(3, depths.size());
    }

    @Test
    void weightedAndSampledDepthsHaveFiniteDifferenceGradients() {
        ComposedSupernet mixed = ComposedSupernet.compile(deep(), PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        for (ParameterSet set : List.of(mixed.weights(), mixed.architectureParameters())) {
            GradientCheck.check(in -> mixed.forward(in, Mode.TRAINING), mixed::backward, set,
                    GradientCheck.random(4, 2, 1, 8, 8), 3);
        }
        ComposedSupernet two = ComposedSupernet.compile(deep(), PathPolicies.fixed(new int[] {1, 0, 2, 1}),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        GradientCheck.check(in -> two.forward(in, Mode.TRAINING), two::backward, null,
                GradientCheck.random(4, 2, 1, 8, 8), 20);
    }

    @Test
    void aSampledDepthRunsOnlyItsFirstBlocks() {
        ComposedSupernet supernet = ComposedSupernet.compile(deep(), PathPolicies.fixed(new int[] {0, 0, 0, 1}),
                ModuleCatalogue.standard(), DataType.DOUBLE, 2);
        INDArray y = supernet.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING);
        supernet.weights().parameters().forEach(Parameter::clearGradient);
        supernet.backward(y.dup());
        for (Parameter p : supernet.weights().parameters()) {
            if (p.name().startsWith("blocks_") && p.name().contains("~nor_conv_3x3")) {
                assertEquals(!p.name().startsWith("blocks_2"), p.hasGradient(), p.name());
            }
        }
    }

    @Test
    void derivesTheDepthAndResetsTheChoicesOfAbsentBlocks() {
        ComposedSupernet supernet = ComposedSupernet.compile(deep(), PathPolicies.mixed(), ModuleCatalogue.standard(),
                DataType.DOUBLE, 2);
        INDArray alpha = ((LearnedPathPolicy) supernet.policy()).alpha().value();
        alpha.assign(Nd4j.createFromArray(new double[][] {{0, 3, 0}, {0, 0, 3}, {3, 0, 0}, {0, 4, 0}}));
        Architecture derived = supernet.derive();
        assertTrue(supernet.space().isValid(derived), derived.toString());
        assertEquals("blocks=2; blocks[0].k=5; blocks[0].op=nor_conv_{k}x{k}; blocks[1].k=3;"
                + " blocks[1].op=skip_connect", derived.toString());
        assertEquals(0, derived.vector()[supernet.edgeChoices()[2]]);   // blocks[2].op, absent, is option 0
    }

    /** The example of docs/spaces/custom.md, smaller: per block a depth-dependent op, kernel and width. */
    static ComposedSpace blocks() {
        return SpaceBuilder.create("example").input(1, 8, 8).classes(3).layer("stem", "conv_bn_3x3", Width.of(4))
                .repeat("blocks", 1, 3, b -> b.value("k", 3, 5).value("width", 4, 6)
                        .choice("op", List.of("nor_conv_{k}x{k}", "conv_bn_relu_{k}x{k}"), Width.value("width"), 1))
                .head("bn_relu_pool_linear").build();
    }

    @Test
    void depthsKernelsAndWidthsTogetherMatchTheStandAloneNetworks() {
        ComposedSpace space = blocks();
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        SplittableRandom rng = new SplittableRandom(6);
        java.util.Set<String> depths = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            Architecture a = space.sample(rng);
            depths.add(a.option("blocks"));
            ComposedSupernetChoicesTest.assertSameOutput(a, x);
        }
        assertEquals(3, depths.size());
        // the head reads the width of the last block that runs: at depth 1 that is blocks[0].width
        Architecture shallow = space.parse("blocks=1; blocks[0].k=3; blocks[0].width=4;"
                + " blocks[0].op=nor_conv_{k}x{k}");
        ComposedSupernetChoicesTest.assertSameOutput(shallow, x);
        ComposedSupernet fixed = ComposedSupernet.restrictedTo(shallow, ModuleCatalogue.standard(), DataType.DOUBLE,
                2);
        GradientCheck.check(in -> fixed.forward(in, Mode.TRAINING), fixed::backward, null, x, 20);
        ComposedSupernet spos = ComposedSupernet.compile(space, PathPolicies.singlePath(3), ModuleCatalogue.standard(),
                DataType.FLOAT, 2);
        for (int pass = 0; pass < 10; pass++) {
            INDArray y = spos.forward(GradientCheck.random(pass, 2, 1, 8, 8).castTo(DataType.FLOAT), Mode.TRAINING);
            assertArrayEquals(new long[] {2, 3}, y.shape());
            spos.backward(y.dup());
        }
    }
}
