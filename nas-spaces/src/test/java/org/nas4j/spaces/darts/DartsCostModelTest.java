package org.nas4j.spaces.darts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parameter counts of the reference networks (quark0/darts cnn/model.py) for every shipped genotype.
 *
 * <p>How the expected numbers were derived (no PyTorch here): by reading model.py and operations.py, every
 * module's parameter count was written as a formula of the cell channels C and the previous cells' channels —
 * stem 3*3C*9 + 2*3C (CIFAR); preprocess0 C_pp*C + 2C (ReLUConvBN 1x1 or FactorizedReduce: two C_pp x C/2
 * convolutions and BN(C) give the same count); preprocess1 C_p*C + 2C; sep_conv_k 2*(C*k*k + C*C + 2C);
 * dil_conv_k C*k*k + C*C + 2C; conv_7x1_1x7 2*7*C*C + 2C; skip_connect 0, or C*C + 2C at stride 2
 * (FactorizedReduce); pools and none 0; classifier C_prev*classes + classes; CIFAR auxiliary head
 * C_aux*128 + 256 + 128*768*4 + 1536 + 768*classes + classes (ImageNet: without the 1536 of the omitted BN);
 * ImageNet stem0 3*(C/2)*9 + C + (C/2)*C*9 + 2C and stem1 9*C*C + 2C — and summed over the cells with the
 * reference's channel rules by an independent script (Python, not this code). Cross-checks: DARTS_V2 without
 * auxiliary = 3,349,342, the "param size = 3.349342MB" that the reference's train.py logs (quoted in a public
 * copy of train.py); DARTS_V2 ImageNet 4,718,752 (paper 4.7M), PDARTS 3,433,798 (paper 3.4M), PC_DARTS_cifar
 * 3,634,678 (paper 3.6M), PC_DARTS_image on ImageNet 5,342,464 (paper 5.3M), PDARTS on ImageNet 4,944,352
 * (paper 4.9M). "With auxiliary" is the sum of p.numel() over model.parameters() with auxiliary=True.
 */
class DartsCostModelTest {

    static Stream<Arguments> cifar() {
        return Stream.of(
                Arguments.of("NASNet", 3_830_950L, 4_288_944L),
                Arguments.of("AmoebaNet", 3_145_078L, 3_603_072L),
                Arguments.of("DARTS_V1", 3_169_414L, 3_645_840L),
                Arguments.of("DARTS_V2", 3_349_342L, 3_825_768L),
                Arguments.of("PDARTS", 3_433_798L, 3_910_224L),
                Arguments.of("PC_DARTS_cifar", 3_634_678L, 4_111_104L),
                Arguments.of("PC_DARTS_image", 3_721_510L, 4_197_936L));
    }

    static Stream<Arguments> imagenet() {
        return Stream.of(
                Arguments.of("NASNet", 5_564_320L, 6_800_520L),
                Arguments.of("AmoebaNet", 4_627_360L, 5_863_560L),
                Arguments.of("DARTS_V1", 4_510_432L, 5_771_208L),
                Arguments.of("DARTS_V2", 4_718_752L, 5_979_528L),
                Arguments.of("PDARTS", 4_944_352L, 6_205_128L),
                Arguments.of("PC_DARTS_cifar", 5_270_560L, 6_531_336L),
                Arguments.of("PC_DARTS_image", 5_342_464L, 6_603_240L));
    }

    @ParameterizedTest(name = "{0} CIFAR C=36 L=20")
    @MethodSource("cifar")
    void cifarParameterCountsMatchTheReference(String name, long withoutAux, long withAux) {
        Genotype g = Genotypes.byName(name);
        DartsCostModel plain = DartsCostModel.cifar(g).build();
        DartsCostModel aux = DartsCostModel.cifar(g).auxiliary(true).build();
        assertEquals(withoutAux, plain.parameters());
        assertEquals(withoutAux, plain.parametersWithoutAuxiliary());
        assertEquals(withAux, aux.parameters());
        assertEquals(withoutAux, aux.parametersWithoutAuxiliary());
    }

    @ParameterizedTest(name = "{0} ImageNet C=48 L=14")
    @MethodSource("imagenet")
    void imagenetParameterCountsMatchTheReference(String name, long withoutAux, long withAux) {
        Genotype g = Genotypes.byName(name);
        assertEquals(withoutAux, DartsCostModel.imagenet(g).build().parameters());
        DartsCostModel aux = DartsCostModel.imagenet(g).auxiliary(true).build();
        assertEquals(withAux, aux.parameters());
        assertEquals(withoutAux, aux.parametersWithoutAuxiliary());
    }

    /**
     * Multiply-adds (convolutions and linear layers, one 32x32 sample, no auxiliary head), from the same script:
     * DARTS_V2 gives 528,359,040, the 528M usually quoted for DARTS on CIFAR-10.
     */
    @Test
    void cifarMultiplyAdds() {
        assertEquals(528_359_040L, DartsCostModel.cifar(Genotypes.DARTS_V2).build().multiplyAdds());
        assertEquals(500_987_520L, DartsCostModel.cifar(Genotypes.DARTS_V1).build().multiplyAdds());
        assertEquals(603_452_448L, DartsCostModel.cifar(Genotypes.NASNET).build().multiplyAdds());
        assertEquals(488_931_552L, DartsCostModel.cifar(Genotypes.AMOEBANET).build().multiplyAdds());
        DartsCostModel aux = DartsCostModel.cifar(Genotypes.DARTS_V2).auxiliary(true).build();
        assertEquals(528_359_040L, aux.multiplyAdds());
        assertEquals(529_054_848L - 528_359_040L, aux.auxiliaryMultiplyAdds());
    }

    /** ImageNet 224x224 multiply-adds from the same script (the papers quote 574M / 557M / 597M with their own counters). */
    @Test
    void imagenetMultiplyAdds() {
        assertEquals(529_911_552L, DartsCostModel.imagenet(Genotypes.DARTS_V2).build().multiplyAdds());
        assertEquals(542_819_328L, DartsCostModel.imagenet(Genotypes.PDARTS).build().multiplyAdds());
        assertEquals(581_627_328L, DartsCostModel.imagenet(Genotypes.PC_DARTS_IMAGE).build().multiplyAdds());
    }

    @Test
    void cellLayoutFollowsTheReferenceChannelRules() {
        DartsCostModel net = DartsCostModel.cifar(Genotypes.DARTS_V2).auxiliary(true).build();
        List<NetworkCell> cells = net.cells();
        assertEquals(20, cells.size());
        assertEquals(13, net.auxiliaryCellIndex());
        NetworkCell c0 = cells.get(0);
        assertEquals(108, c0.prevPrevChannels());
        assertEquals(108, c0.prevChannels());
        assertEquals(36, c0.channels());
        assertEquals("relu_conv_bn_1x1", c0.preprocess0());
        NetworkCell r6 = cells.get(6);
        assertEquals(CellType.REDUCE, r6.type());
        assertEquals(72, r6.channels());
        assertEquals(8 * 36, r6.output().channels());
        assertEquals(16, r6.output().height());
        NetworkCell c7 = cells.get(7);
        assertTrue(c7.reductionPrev());
        assertEquals("factorized_reduce", c7.preprocess0());
        assertEquals(CellType.REDUCE, cells.get(13).type());
        assertEquals(8, cells.get(19).output().height());
        assertEquals(4 * 144, cells.get(19).output().channels());
        // the stride-2 skip_connect of a reduction cell is a factorized reduce and is drop-path'ed; identities are not
        NetworkCell.Op reduceSkip = r6.ops().stream().filter(o -> o.op().equals("skip_connect")).findFirst().orElseThrow();
        assertEquals(1, reduceSkip.stride());
        assertFalse(reduceSkip.dropPath());
        NetworkCell.Op maxPool = r6.ops().get(0);
        assertEquals(2, maxPool.stride());
        assertTrue(maxPool.dropPath());
        // PC_DARTS_image's reduce cell has ('skip_connect', 1): stride 2, a factorized reduce, drop-path'ed
        NetworkCell pcReduce = DartsCostModel.cifar(Genotypes.PC_DARTS_IMAGE).build().cells().get(6);
        NetworkCell.Op stridedSkip = pcReduce.ops().get(1);
        assertEquals("skip_connect", stridedSkip.op());
        assertEquals(2, stridedSkip.stride());
        assertTrue(stridedSkip.dropPath());
        assertEquals(72L * 72 + 2 * 72, stridedSkip.parameters());
    }

    @Test
    void imagenetFirstCellReducesTheStem0Output() {
        DartsCostModel net = DartsCostModel.imagenet(Genotypes.DARTS_V2).build();
        NetworkCell c0 = net.cells().get(0);
        assertTrue(c0.reductionPrev());
        assertEquals(56, c0.input0().height());
        assertEquals(28, c0.input1().height());
        assertEquals(7, net.cells().get(13).output().height());
    }

    @Test
    void badSettingsNameTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DartsCostModel.cifar(Genotypes.DARTS_V2).channels(0))
                .getMessage().contains("channels must be >= 1, but was 0"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsCostModel.imagenet(Genotypes.DARTS_V2).channels(47).build()).getMessage().contains("47"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsCostModel.cifar(Genotypes.DARTS_V2).auxiliary(true).inputSize(64).build())
                .getMessage().contains("auxiliary head"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DartsCostModel.cifar(Genotypes.DARTS_V2).inputSize(30).build())
                .getMessage().contains("even"));
    }
}
