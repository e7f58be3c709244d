package org.nas4j.spaces.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;
import org.nas4j.spaces.darts.Genotypes;

/**
 * The DARTS / NASNet cell spaces written with the space builder give the published networks' counts at C=36, 20
 * layers, with and without the auxiliary head (the figures pinned in DartsCostModelTest), and agree with
 * DartsCostModel on random cells.
 */
class DartsDefinitionTest {

    static Stream<Arguments> published() {
        return Stream.of(
                Arguments.of("DARTS_V1", DartsSpace.darts(), 3_169_414L, 3_645_840L),
                Arguments.of("DARTS_V2", DartsSpace.darts(), 3_349_342L, 3_825_768L),
                Arguments.of("PDARTS", DartsSpace.darts(), 3_433_798L, 3_910_224L),
                Arguments.of("PC_DARTS_cifar", DartsSpace.darts(), 3_634_678L, 4_111_104L),
                Arguments.of("NASNet", DartsSpace.nasnet(), 3_830_950L, 4_288_944L),
                Arguments.of("AmoebaNet", DartsSpace.nasnet(), 3_145_078L, 3_603_072L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    void publishedGenotypesKeepTheirCounts(String name, DartsSpace cells, long withoutAux, long withAux) {
        Genotype g = Genotypes.byName(name);
        ComposedSpace plain = DartsDefinition.cifar(cells, 36, 20, false).build();
        ComposedSpace aux = DartsDefinition.cifar(cells, 36, 20, true).build();
        Architecture a = DartsDefinition.architecture(plain, g);
        assertTrue(plain.isValid(a));
        assertEquals(withoutAux, plain.parameters(a));
        Architecture b = DartsDefinition.architecture(aux, g);
        assertEquals(withAux, aux.parameters(b));
        assertEquals(withoutAux, aux.plan(b).parametersWithoutAuxiliary());
        DartsCostModel reference = DartsCostModel.cifar(g).build();
        assertEquals(reference.multiplyAdds(), plain.multiplyAdds(a));
        assertEquals(reference.multiplyAdds(), aux.multiplyAdds(b));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spaces")
    void randomCellsAgreeWithTheCostModel(String name, DartsSpace cells) {
        ComposedSpace built = DartsDefinition.cifar(cells, 16, 8, true).build();
        SplitMix64 rng = new SplitMix64(21);
        for (int i = 0; i < 100; i++) {
            Architecture hand = cells.sample(rng);
            Genotype g = cells.genotype(hand);
            Architecture a = DartsDefinition.architecture(built, g);
            DartsCostModel reference = DartsCostModel.cifar(g).channels(16).layers(8).auxiliary(true).build();
            assertEquals(reference.parameters(), built.parameters(a), g.toString());
            assertEquals(reference.multiplyAdds(), built.multiplyAdds(a), g.toString());
            assertEquals(a, built.parse(a.toString()));
        }
    }

    static Stream<Arguments> spaces() {
        return Stream.of(Arguments.of("darts", DartsSpace.darts()), Arguments.of("nasnet", DartsSpace.nasnet()),
                Arguments.of("pnas", DartsSpace.pnas()));
    }
}
