package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.BatchNorm;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link Modules#sequence} fuses a batch norm with the ReLU or ReLU6 that follows it (in FLOAT and DOUBLE; HALF
 * keeps the layer) and exports both layers as before; nothing else fuses. The fused values and gradients are the
 * layers' bit for bit ({@code BatchNormActivationTest}).
 */
class FusedActivationTest {

    private static BatchNorm.Activation fusedAfter(DataType type, boolean relu6, boolean activationFirst,
            List<String> exported) {
        ParameterSet params = new ParameterSet(type, 1);
        Module conv = Modules.conv(params, "c", new GraphSink.ConvSpec(2, 4, 1, 1, 0, 1, 1));
        Module bn = Modules.batchNorm(params, "bn", 4, true);
        Module act = relu6 ? Modules.relu6("act") : Modules.relu("act");
        Module m = activationFirst ? Modules.sequence(act, conv, bn) : Modules.sequence(conv, bn, act);
        params.seal();
        GraphSink sink = (GraphSink) Proxy.newProxyInstance(GraphSink.class.getClassLoader(),
                new Class<?>[] {GraphSink.class}, (proxy, method, args) -> {
                    exported.add(method.getName());
                    return args[0];
                });
        m.export(sink, "in");
        return ((BatchNorm) params.runningStatistics().get(0)).activation();
    }

    @Test
    void aBatchNormFollowedByAnActivationFusesItAndStillExportsBothLayers() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            List<String> exported = new ArrayList<>();
            assertEquals(BatchNorm.Activation.RELU, fusedAfter(type, false, false, exported), type.toString());
            assertEquals(List.of("conv2d", "batchNorm", "relu"), exported);
            exported.clear();
            assertEquals(BatchNorm.Activation.RELU6, fusedAfter(type, true, false, exported), type.toString());
            assertEquals(List.of("conv2d", "batchNorm", "relu6"), exported);
        }
    }

    @Test
    void halfPrecisionAndALeadingActivationDoNotFuse() {
        List<String> exported = new ArrayList<>();
        assertEquals(BatchNorm.Activation.NONE, fusedAfter(DataType.HALF, false, false, exported));
        assertEquals(List.of("conv2d", "batchNorm", "relu"), exported);
        exported.clear();
        assertEquals(BatchNorm.Activation.NONE, fusedAfter(DataType.FLOAT, false, true, exported));
        assertEquals(List.of("relu", "conv2d", "batchNorm"), exported);
    }
}
