package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.nasbench201.NasBench201Network;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The NAS-Bench-201 skeleton ({@link NasBench201Network}, as in the benchmark's {@code TinyNetwork}): stem conv 3x3
 * + BN; three stages of N cells at C, 2C, 4C channels, with residual reduction blocks between them
 * (ReLU-conv3x3 s2-BN, ReLU-conv3x3-BN, shortcut avg-pool 2x2 s2 + conv 1x1); head BN-ReLU, global average
 * pooling, linear classifier. Its parameter count equals {@link NasBench201Network#parameters}.
 *
 * <pre>{@code
 * TrainableNetwork net = new NasBench201Factory(space).build(space.parse("|nor_conv_3x3~0|+|...|"), 42);
 * }</pre>
 */
public final class NasBench201Factory implements NetworkFactory {

    private final NasBench201Space space;
    private final DataType dataType;

    /** A factory of FLOAT networks for {@code space}. */
    public NasBench201Factory(NasBench201Space space) {
        this(space, DataType.FLOAT);
    }

    /** A factory for {@code space} with the given data type (DOUBLE for gradient checks). */
    public NasBench201Factory(NasBench201Space space, DataType dataType) {
        this.space = java.util.Objects.requireNonNull(space, "space");
        this.dataType = java.util.Objects.requireNonNull(dataType, "dataType");
    }

    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        if (!architecture.space().identity().equals(space.identity())) {
            throw new IllegalArgumentException("architecture must belong to " + space.identity() + ", but was of "
                    + architecture.space().identity());
        }
        NasBench201Network n = space.network();
        Graph cell = space.cells(architecture).get(0);
        ParameterSet params = new ParameterSet(dataType, seed);
        List<Module> body = new ArrayList<>();
        int c = n.channels();
        body.add(Modules.conv(params, "stem.conv",
                new GraphSink.ConvSpec(n.inputChannels(), c, 3, 1, 1, 1, 1)));
        body.add(Modules.batchNorm(params, "stem.bn", c, true));
        for (int stage = 0; stage < 3; stage++) {
            if (stage > 0) {
                String r = "reduce" + stage;
                body.add(Modules.residual(r,
                        Modules.sequence(Modules.reluConvBn(params, r + ".a", c, 2 * c, 3, 2, true),
                                Modules.reluConvBn(params, r + ".b", 2 * c, 2 * c, 3, 1, true)),
                        Modules.sequence(Modules.averagePool(r + ".shortcut.pool", 2, 2, 0, true),
                                Modules.conv(params, r + ".shortcut.conv",
                                        new GraphSink.ConvSpec(c, 2 * c, 1, 1, 0, 1, 1)))));
                c *= 2;
            }
            for (int i = 0; i < n.cellsPerStage(); i++) {
                body.add(new GraphCell(params, "stage" + stage + ".cell" + i, cell, Nb201Ops::create, new int[] {c},
                        c, false));
            }
        }
        body.add(Modules.batchNorm(params, "head.bn", c, true));
        body.add(Modules.relu("head.relu"));
        body.add(Modules.globalAveragePool("head.gap"));
        body.add(Modules.classifier(params, "head.classifier", c, n.classes()));
        return new TrainableNetwork(architecture.toString(), params, Modules.sequence(body.toArray(new Module[0])),
                n.inputChannels(), n.imageSize(), n.classes());
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        return OptionalLong.of(space.network().multiplyAdds(architecture));
    }
}
