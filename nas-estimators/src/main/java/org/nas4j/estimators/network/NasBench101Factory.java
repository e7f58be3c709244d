package org.nas4j.estimators.network;

import static org.nas4j.core.config.Require.atLeast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.nasbench101.NasBench101Cell;
import org.nas4j.spaces.nasbench101.NasBench101CostModel;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The NAS-Bench-101 network (the reference's {@code model_builder.py}) for architectures of a
 * {@link NasBench101Space}: stem conv 3x3-BN-ReLU to {@code stemChannels}; {@code stacks} stacks of
 * {@code cellsPerStack} {@link Nb101Cell}s, with a 2x2 stride-2 max pool and a doubling of the channels before
 * every stack but the first; global average pooling and a dense classifier with bias. Convolutions have no bias
 * (batch norm follows each), batch norm has epsilon 1e-5 and, by default, the benchmark's momentum (TensorFlow's
 * 0.997, i.e. 0.003 in the engine's convention). Its parameter count equals {@link NasBench101CostModel#parameters}
 * for the same configuration ({@link #network}). Immutable and thread-safe.
 *
 * <pre>{@code
 * NasBench101Factory benchmark = new NasBench101Factory(space);     // 32x32x3, stem 128, 3 stacks of 3, 10 classes
 * NasBench101Factory tiny = NasBench101Factory.builder(space).inputChannels(1).imageSize(28).stemChannels(8)
 *         .stacks(1).cellsPerStack(1).build();
 * TrainableNetwork net = tiny.build(space.parse("adjacency=...;ops=..."), 42);
 * }</pre>
 */
public final class NasBench101Factory implements NetworkFactory {

    /** The benchmark's batch-norm momentum in the engine's convention (TensorFlow's momentum 0.997). */
    public static final double BENCHMARK_BN_MOMENTUM = 0.003;

    private final NasBench101Space space;
    private final NasBench101CostModel network;
    private final int imageSize;
    private final double bnMomentum;
    private final DataType dataType;

    private NasBench101Factory(Builder b) {
        this.space = b.space;
        this.network = new NasBench101CostModel(b.stemChannels, b.stacks, b.cellsPerStack, b.inputChannels, b.classes);
        this.imageSize = b.imageSize;
        this.bnMomentum = b.bnMomentum;
        this.dataType = b.dataType;
    }

    /** The benchmark's CIFAR-10 network (32x32x3 images, stem 128, 3 stacks of 3 cells, 10 classes), FLOAT. */
    public NasBench101Factory(NasBench101Space space) {
        this(builder(space));
    }

    /**
     * The benchmark's factory ({@link #NasBench101Factory(NasBench101Space)}) if {@code space} is a NAS-Bench-101
     * space, else empty: how {@link NetworkCompiler} compiles NAS-Bench-101, which keeps its own cell rules (it has
     * no composed form).
     */
    static Optional<NetworkFactory> forSpace(SearchSpace space) {
        return space instanceof NasBench101Space nb101 ? Optional.of(new NasBench101Factory(nb101))
                : Optional.empty();
    }

    /** A builder with the benchmark's configuration as defaults. */
    public static Builder builder(NasBench101Space space) {
        return new Builder(Objects.requireNonNull(space, "space"));
    }

    /** The network configuration, whose {@link NasBench101CostModel#parameters} the built networks have. */
    public NasBench101CostModel network() {
        return network;
    }

    /** Image height and width. */
    public int imageSize() {
        return imageSize;
    }

    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        if (!architecture.space().identity().equals(space.identity())) {
            throw new IllegalArgumentException("architecture must belong to " + space.identity() + ", but was of "
                    + architecture.space().identity());
        }
        NasBench101Cell cell = space.cell(architecture);
        if (cell.pruned().isEmpty()) {
            throw new IllegalArgumentException("architecture must connect its input to its output, but was "
                    + architecture);
        }
        ParameterSet params = new ParameterSet(dataType, seed);
        List<Module> body = new ArrayList<>();
        int c = network.stemChannels();
        body.add(Nb101Cell.convBnRelu(params, "stem", network.imageChannels(), c, 3, bnMomentum));
        for (int s = 0; s < network.stacks(); s++) {
            int in = c;
            if (s > 0) {
                body.add(Modules.maxPool("stack" + s + ".downsample", 2, 2, 0));
                c *= 2;
            }
            for (int m = 0; m < network.cellsPerStack(); m++) {
                body.add(new Nb101Cell(params, "stack" + s + ".cell" + m, cell, m == 0 ? in : c, c, bnMomentum));
            }
        }
        body.add(Modules.globalAveragePool("head.gap"));
        body.add(Modules.classifier(params, "head.classifier", c, network.classes()));
        return new TrainableNetwork(architecture.toString(), params, Modules.sequence(body.toArray(new Module[0])),
                network.imageChannels(), imageSize, network.classes());
    }

    /** Every setting of the builder, with the space's configuration. */
    @Override
    public Configuration configuration() {
        return Configuration.of("nas-bench-101").with("space", space.configuration())
                .with("stemChannels", network.stemChannels()).with("stacks", network.stacks())
                .with("cellsPerStack", network.cellsPerStack()).with("inputChannels", network.imageChannels())
                .with("classes", network.classes()).with("imageSize", imageSize).with("bnMomentum", bnMomentum)
                .with("dataType", dataType);
    }

    @Override
    public String toString() {
        return configuration().toString();
    }

    /** Builder of {@link NasBench101Factory}; every setter validates at once and states its default. */
    public static final class Builder {
        private final NasBench101Space space;
        private int imageSize = 32;
        private int inputChannels = 3;
        private int stemChannels = 128;
        private int stacks = 3;
        private int cellsPerStack = 3;
        private int classes = 10;
        private double bnMomentum = BENCHMARK_BN_MOMENTUM;
        private DataType dataType = DataType.FLOAT;

        private Builder(NasBench101Space space) {
            this.space = space;
        }

        /** Image height and width; default 32. Must stay even down to the last stack (checked in build). */
        public Builder imageSize(int size) {
            this.imageSize = atLeast("imageSize", size, 1);
            return this;
        }

        /** Image channels; default 3. */
        public Builder inputChannels(int channels) {
            this.inputChannels = atLeast("inputChannels", channels, 1);
            return this;
        }

        /** Channels of the stem (and of the first stack); default 128. */
        public Builder stemChannels(int channels) {
            this.stemChannels = atLeast("stemChannels", channels, 1);
            return this;
        }

        /** Number of stacks; default 3. */
        public Builder stacks(int stacks) {
            this.stacks = atLeast("stacks", stacks, 1);
            return this;
        }

        /** Cells per stack; default 3. */
        public Builder cellsPerStack(int cells) {
            this.cellsPerStack = atLeast("cellsPerStack", cells, 1);
            return this;
        }

        /** Output classes; default 10. */
        public Builder classes(int classes) {
            this.classes = atLeast("classes", classes, 2);
            return this;
        }

        /**
         * Batch-norm momentum, the weight of a batch's statistics in the running ones; default
         * {@link #BENCHMARK_BN_MOMENTUM} (0.003). Training runs of a few hundred steps need a larger one (e.g.
         * PyTorch's 0.1) for the running statistics, and so the validation accuracy, to follow the weights.
         */
        public Builder batchNormMomentum(double momentum) {
            if (!(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException("batchNormMomentum must be in (0, 1], but was " + momentum);
            }
            this.bnMomentum = momentum;
            return this;
        }

        /** Data type of the parameters; default FLOAT (DOUBLE for gradient checks). */
        public Builder dataType(DataType type) {
            this.dataType = Objects.requireNonNull(type, "dataType");
            return this;
        }

        /** The factory; the image size must be divisible by {@code 2^(stacks - 1)}. */
        public NasBench101Factory build() {
            int factor = 1 << Math.min(stacks - 1, 30);
            if (imageSize % factor != 0) {
                throw new IllegalArgumentException("imageSize must be divisible by 2^(stacks - 1)=" + factor
                        + " (stacks=" + stacks + "), but was " + imageSize);
            }
            return new NasBench101Factory(this);
        }
    }
}
