package org.nas4j.estimators.network;

import java.util.List;
import java.util.OptionalLong;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.nasbench201.NasBench201CostModel;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Stand-alone NAS-Bench-201 networks: the {@link Nb201Skeleton} (stem, three stages of N cells at C, 2C, 4C channels
 * joined by residual reduction blocks, head; the sizes of {@link NasBench201CostModel}) with the architecture's cell
 * compiled as a {@link GraphCell}. Its parameter count equals {@link NasBench201CostModel#parameters}.
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
        NasBench201CostModel n = space.network();
        Graph cell = space.cells(architecture).get(0);
        ParameterSet params = new ParameterSet(dataType, seed);
        List<Module> body = Nb201Skeleton.layers(params,
                new Nb201Skeleton.Dimensions(n.inputChannels(), n.channels(), n.cellsPerStage(), n.classes()), null,
                m -> m, (name, c) -> new GraphCell(params, name, cell, Nb201Ops::create, new int[] {c}, c, false));
        return new TrainableNetwork(architecture.toString(), params, Modules.sequence(body.toArray(new Module[0])),
                n.inputChannels(), n.imageSize(), n.classes());
    }

    /** {@code nas-bench-201(space=..., dataType=...)}: the space holds the network's sizes. */
    @Override
    public Configuration configuration() {
        return Configuration.of("nas-bench-201").with("space", space.configuration()).with("dataType", dataType);
    }

    @Override
    public String toString() {
        return configuration().toString();
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        return OptionalLong.of(space.network().multiplyAdds(architecture));
    }
}
