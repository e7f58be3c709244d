package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.core.space.builder.ShuffleOps;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/** Every standard op has a module whose parameters are what the catalogue's formula counts. */
class ModuleCatalogueTest {

    @Test
    void everyStandardOpHasAModuleOfItsFormulasSize() {
        Set<String> heads = Set.of("bn_relu_pool_linear", "pool_linear", "darts_auxiliary_head");
        for (String op : OpCatalogue.standard().names()) {
            if (op.equals("none") || op.equals(EnasOps.RANGE_MASK)) {
                continue; // the mask's module is bound by EnasChannelSupernet to its path's range (tested there)
            }
            OpSpec spec = OpCatalogue.standard().spec(op);
            int out = heads.contains(op) ? 10 : 8;
            int[] strides = op.equals("res_block_3x3") || op.equals("skip_connect") ? new int[] {1, 2}
                    : op.equals("enas_factorized_reduce") ? new int[] {2} : new int[] {1};
            for (int stride : strides) {
                ParameterSet params = new ParameterSet(DataType.FLOAT, 1);
                ModuleCatalogue.standard().create(params, "m", op, 8, out, stride);
                params.seal();
                assertEquals(spec.parameters(8, out, stride), params.size(), op + " stride " + stride);
            }
        }
    }

    @Test
    void everyShuffleOpHasAModuleOfItsFormulasSizeAtBothStrides() {
        OpCatalogue shuffle = ShuffleOps.catalogue();
        int checked = 0;
        for (String op : shuffle.names()) {
            if (OpCatalogue.standard().names().contains(op)) {
                continue;
            }
            OpSpec spec = shuffle.spec(op);
            boolean head = op.equals("pool_linear_no_bias");
            for (int[] shape : head ? new int[][] {{24, 10, 1}} : new int[][] {{24, 24, 1}, {24, 40, 2}}) {
                ParameterSet params = new ParameterSet(DataType.FLOAT, 1);
                ModuleCatalogue.standard().create(params, "m", op, shape[0], shape[1], shape[2]);
                params.seal();
                assertEquals(spec.parameters(shape[0], shape[1], shape[2]), params.size(), op + " " + shape[0]
                        + " -> " + shape[1] + " stride " + shape[2]);
                checked++;
            }
        }
        assertEquals(32 * 2 + 1, checked);
    }

    @Test
    void userOpsJoinAndUnknownOpsAreNamed() {
        ModuleCatalogue mine = ModuleCatalogue.standard().with("my_conv_9x9",
                (p, n, in, out, s) -> Modules.reluConvBn(p, n, in, out, 9, s, false));
        assertTrue(mine.contains("my_conv_9x9"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModuleCatalogue.standard().create(new ParameterSet(DataType.FLOAT, 1), "m", "warp", 8, 8, 1));
        assertTrue(e.getMessage().contains("no module for op 'warp'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mine.with("nor_conv_3x3",
                (p, n, in, out, s) -> Modules.identity()));
    }

    @Test
    void aWrappedCatalogueHandsEveryModuleToTheWrapperWithItsOpName() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        ModuleCatalogue wrapped = ModuleCatalogue.standard().wrapped((op, module) -> {
            seen.add(op);
            return new ForwardingModule(module) {
            };
        });
        assertEquals(ModuleCatalogue.standard().names(), wrapped.names());
        ParameterSet params = new ParameterSet(DataType.DOUBLE, 1);
        Module conv = wrapped.create(params, "e", "nor_conv_3x3", 2, 2, 1);
        params.seal();
        assertTrue(conv instanceof ForwardingModule);
        assertEquals(java.util.List.of("nor_conv_3x3"), seen);
        // the wrapper forwards: same output as the module it wraps
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        assertEquals(((ForwardingModule) conv).delegate().forward(x, org.nas4j.estimators.engine.Mode.INFERENCE)
                .dup(), conv.forward(x, org.nas4j.estimators.engine.Mode.INFERENCE));
        NullPointerException e = assertThrows(NullPointerException.class, () -> ModuleCatalogue.standard()
                .wrapped((op, module) -> null).create(new ParameterSet(DataType.DOUBLE, 1), "e", "avg_pool_3x3",
                        2, 2, 1));
        assertTrue(e.getMessage().contains("avg_pool_3x3"), e.getMessage());
    }
}
