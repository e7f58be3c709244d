package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.GradientSums;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DARTS CIFAR evaluation network ({@code NetworkCIFAR} of the reference, {@link DartsCostModel}; by default
 * without the auxiliary head and without drop-path) for architectures of a {@link DartsSpace}: stem conv 3x3 to 3C + BN;
 * {@code layers} cells, those at {@code layers/3} and {@code 2*layers/3} reducing and doubling C; each cell's
 * inputs preprocessed to C by ReLU-conv1x1-BN (input 0 by a factorized reduce after a reduction cell); global
 * average pooling and a linear classifier. Its parameter count equals {@code DartsCostModel.cifar(genotype)
 * .channels(C).layers(L).auxiliary(false).build().parameters()} for 3-channel input. The cells' ops are made by
 * {@link DartsModules#create}: every op of the DARTS, NASNet and PNAS op sets ({@link DartsModules#SUPPORTED}).
 *
 * <p>Options of the reference's CIFAR training protocol ({@code train.py}), both off by default:
 * <ul>
 *   <li>{@link #auxiliaryHead(double) auxiliary head} ({@code AuxiliaryHeadCIFAR}) on the output of cell
 *       {@code 2*layers/3}: ReLU, 5x5 average pooling with stride 3 (no padding), conv 1x1 to 128, BN, ReLU, conv 2x2
 *       to 768, BN, ReLU, linear to the classes. It runs in training only; the training loss is
 *       {@code main + weight * auxiliary}. With it the parameter count equals {@code DartsCostModel...auxiliary(true)}.
 *       The export ({@link GraphSink}) holds the main head only, as inference does.</li>
 *   <li>{@link #dropPath(double) drop-path} after every cell op except a stride-1 {@code skip_connect}, in training
 *       only, with the probability of the network's {@link DropPathRate}, which starts at the configured value and
 *       which a trainer sets each epoch from a {@link org.nas4j.spaces.darts.DropPathSchedule}. Masks derive from
 *       the network's seed.</li>
 * </ul>
 * Immutable and thread-safe; the options return modified copies.
 *
 * <pre>{@code
 * TrainableNetwork net = new DartsFactory(DartsSpace.darts(), 16, 8, 10, 3, 32)
 *         .build(space.architecture(Genotypes.DARTS_V2), 42);
 * DartsFactory paper = new DartsFactory(DartsSpace.darts(), 36, 20, 10, 3, 32)
 *         .auxiliaryHead(DartsFactory.DEFAULT_AUXILIARY_WEIGHT).dropPath(0.2);
 * }</pre>
 */
public final class DartsFactory implements NetworkFactory {

    /** The reference's {@code auxiliary_weight}: 0.4. */
    public static final double DEFAULT_AUXILIARY_WEIGHT = 0.4;

    private final DartsSpace space;
    private final int channels;
    private final int layers;
    private final int classes;
    private final int inputChannels;
    private final int imageSize;
    private final double auxiliaryWeight;
    private final double dropPathProbability;
    private final DataType dataType;

    /**
     * A factory of DARTS evaluation networks.
     *
     * @param space         the cell space
     * @param channels      initial channels C (the reference uses 36)
     * @param layers        cells, >= 3 (the reference uses 20)
     * @param classes       output classes
     * @param inputChannels image channels
     * @param imageSize     image height and width; must stay even down to the second reduction
     */
    public DartsFactory(DartsSpace space, int channels, int layers, int classes, int inputChannels, int imageSize) {
        this.space = Objects.requireNonNull(space, "space");
        if (channels < 1 || layers < 3 || classes < 2 || inputChannels < 1 || imageSize < 4) {
            throw new IllegalArgumentException("need channels >= 1, layers >= 3, classes >= 2, inputChannels >= 1, "
                    + "imageSize >= 4, but were " + channels + ", " + layers + ", " + classes + ", " + inputChannels
                    + ", " + imageSize);
        }
        this.channels = channels;
        this.layers = layers;
        this.classes = classes;
        this.inputChannels = inputChannels;
        this.imageSize = imageSize;
        this.auxiliaryWeight = 0;
        this.dropPathProbability = 0;
        this.dataType = DataType.FLOAT;
    }

    private DartsFactory(DartsFactory f, double auxiliaryWeight, double dropPathProbability, DataType dataType) {
        this.space = f.space;
        this.channels = f.channels;
        this.layers = f.layers;
        this.classes = f.classes;
        this.inputChannels = f.inputChannels;
        this.imageSize = f.imageSize;
        this.auxiliaryWeight = auxiliaryWeight;
        this.dropPathProbability = dropPathProbability;
        this.dataType = dataType;
    }

    /**
     * A copy whose networks have the CIFAR auxiliary head, its loss weighted by {@code weight} (finite, >= 0; 0 = no
     * head; the reference uses {@link #DEFAULT_AUXILIARY_WEIGHT}). The head needs the output of cell
     * {@code 2*layers/3} to be 8 to 10 pixels a side (imageSize 29 to 40; 32 for CIFAR). Default: no head.
     */
    public DartsFactory auxiliaryHead(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("auxiliaryWeight must be finite and >= 0, but was " + weight);
        }
        int side = auxiliaryInputSize();
        if (weight > 0 && (side < 8 || side > 10)) {
            throw new IllegalArgumentException("the auxiliary head needs a 2x2 map after its 5x5 pooling (stride 3), "
                    + "i.e. 8 to 10 pixels a side after cell " + (2 * layers / 3) + ", but imageSize=" + imageSize
                    + " leaves " + side);
        }
        return new DartsFactory(this, weight, dropPathProbability, dataType);
    }

    /**
     * A copy whose networks drop the output of every cell op but a stride-1 {@code skip_connect} in training with
     * probability {@code probability}, in [0, 1); 0 = no drop-path. A trainer that follows the reference schedule
     * overwrites it each epoch through {@link TrainableNetwork#dropPathRate()}. Default 0.
     */
    public DartsFactory dropPath(double probability) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("dropPathProbability must be in [0, 1), but was " + probability);
        }
        return new DartsFactory(this, auxiliaryWeight, probability, dataType);
    }

    /** A copy whose networks hold their parameters in {@code type} (DOUBLE for gradient checks). Default FLOAT. */
    public DartsFactory dataType(DataType type) {
        return new DartsFactory(this, auxiliaryWeight, dropPathProbability, java.util.Objects.requireNonNull(type,
                "type"));
    }

    /** Weight of the auxiliary loss; 0 when the networks have no auxiliary head. */
    public double auxiliaryWeight() {
        return auxiliaryWeight;
    }

    /** The drop-path probability the networks start with; 0 when they have no drop-path. */
    public double dropPathProbability() {
        return dropPathProbability;
    }

    /** {@code darts(space=..., channels=, layers=, classes=, inputChannels=, imageSize=, auxiliaryWeight=, ...)}. */
    @Override
    public Configuration configuration() {
        return Configuration.of("darts").with("space", space.configuration()).with("channels", channels)
                .with("layers", layers).with("classes", classes).with("inputChannels", inputChannels)
                .with("imageSize", imageSize).with("auxiliaryWeight", auxiliaryWeight)
                .with("dropPathProbability", dropPathProbability).with("dataType", dataType);
    }

    @Override
    public String toString() {
        return configuration().toString();
    }

    private int auxiliaryInputSize() {
        // the cell at 2*layers/3 is the second reduction; each reduction halves, rounding up
        return ((imageSize + 1) / 2 + 1) / 2;
    }

    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        List<Graph> cells = space.cells(architecture);
        Graph normal = cells.get(0);
        Graph reduce = cells.get(1);
        ParameterSet params = new ParameterSet(dataType, seed);
        DropPathRate rate = dropPathProbability > 0 ? new DropPathRate(dropPathProbability) : null;
        int auxiliaryChannels = 0;
        int stem = 3 * channels;
        Module stemModule = Modules.sequence(
                Modules.conv(params, "stem.conv", new GraphSink.ConvSpec(inputChannels, stem, 3, 1, 1, 1, 1)),
                Modules.batchNorm(params, "stem.bn", stem, true));
        List<Module> pre0 = new ArrayList<>();
        List<Module> pre1 = new ArrayList<>();
        List<GraphCell> body = new ArrayList<>();
        int prevPrev = stem;
        int prev = stem;
        int c = channels;
        boolean reductionPrev = false;
        for (int i = 0; i < layers; i++) {
            boolean reduction = i == layers / 3 || i == 2 * layers / 3;
            if (reduction) {
                c *= 2;
            }
            String n = "cell" + i;
            pre0.add(reductionPrev ? DartsModules.factorizedReduce(params, n + ".pre0", prevPrev, c)
                    : Modules.reluConvBn(params, n + ".pre0", prevPrev, c, 1, 1, true));
            pre1.add(Modules.reluConvBn(params, n + ".pre1", prev, c, 1, 1, true));
            GraphCell cell = new GraphCell(params, n, reduction ? reduce : normal, DartsModules::create,
                    new int[] {c, c}, c, reduction, rate, seed);
            body.add(cell);
            prevPrev = prev;
            prev = cell.outputChannels();
            if (i == 2 * layers / 3) {
                auxiliaryChannels = prev;
            }
            reductionPrev = reduction;
        }
        Module head = Modules.sequence(Modules.globalAveragePool("head.gap"),
                Modules.classifier(params, "head.classifier", prev, classes));
        // declared last, so that the main network's initial weights do not depend on whether the head is there
        Module auxiliary = auxiliaryWeight > 0 ? auxiliaryHead(params, "aux", auxiliaryChannels, classes) : null;
        return new TrainableNetwork(architecture.toString(), params,
                new Body(stemModule, pre0, pre1, body, head, auxiliary, 2 * layers / 3), inputChannels, imageSize,
                classes, auxiliaryWeight, rate);
    }

    /** The reference's {@code AuxiliaryHeadCIFAR}; the global pooling of its 1x1 map is the reference's flatten. */
    static Module auxiliaryHead(ParameterSet params, String name, int in, int classes) {
        return Modules.sequence(Modules.relu(name + ".relu0"),
                Modules.averagePool(name + ".avgpool", 5, 3, 0, false),
                Modules.conv(params, name + ".conv1", new GraphSink.ConvSpec(in, 128, 1, 1, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn1", 128, true),
                Modules.relu(name + ".relu1"),
                Modules.conv(params, name + ".conv2", new GraphSink.ConvSpec(128, 768, 2, 1, 0, 1, 1)),
                Modules.batchNorm(params, name + ".bn2", 768, true),
                Modules.relu(name + ".relu2"),
                Modules.globalAveragePool(name + ".flatten"),
                Modules.classifier(params, name + ".classifier", 768, classes));
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        if (inputChannels != 3) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(DartsCostModel.cifar(space.genotype(architecture)).channels(channels).layers(layers)
                .numClasses(classes).inputSize(imageSize).auxiliary(false).build().multiplyAdds());
    }

    /**
     * Stem, cells reading the two previous states, head, and (optionally) the auxiliary head on one state in
     * training; gradients of each state summed over its readers.
     */
    private static final class Body implements AuxiliaryBody {
        private final Module stem;
        private final List<Module> pre0;
        private final List<Module> pre1;
        private final List<GraphCell> cells;
        private final Module head;
        private final Module auxiliary;
        private final int auxiliaryCell;
        private INDArray auxiliaryLogits;
        private final INDArray[] states;
        private final GradientSums grads;

        Body(Module stem, List<Module> pre0, List<Module> pre1, List<GraphCell> cells, Module head,
                Module auxiliary, int auxiliaryCell) {
            this.auxiliary = auxiliary;
            this.auxiliaryCell = auxiliaryCell;
            this.stem = stem;
            this.pre0 = pre0;
            this.pre1 = pre1;
            this.cells = cells;
            this.head = head;
            this.states = new INDArray[cells.size() + 1];
            this.grads = new GradientSums(cells.size() + 1);
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            states[0] = stem.forward(x, mode);
            for (int i = 0; i < cells.size(); i++) {
                INDArray s0 = pre0.get(i).forward(states[Math.max(i - 1, 0)], mode);
                INDArray s1 = pre1.get(i).forward(states[i], mode);
                states[i + 1] = cells.get(i).forward(List.of(s0, s1), mode);
            }
            auxiliaryLogits = auxiliary != null && mode == Mode.TRAINING
                    ? auxiliary.forward(states[auxiliaryCell + 1], mode) : null;
            return head.forward(states[cells.size()], mode);
        }

        @Override
        public INDArray auxiliaryLogits() {
            return auxiliaryLogits;
        }

        @Override
        public INDArray backward(INDArray gy) {
            return backward(gy, null);
        }

        @Override
        public INDArray backward(INDArray gy, INDArray gAuxiliary) {
            grads.clear();
            grads.add(cells.size(), head.backward(gy));
            if (gAuxiliary != null) {
                if (auxiliaryLogits == null) {
                    throw new IllegalStateException("no auxiliary logits to back-propagate: the auxiliary head runs "
                            + "only in a training forward pass of a network built with one");
                }
                grads.add(auxiliaryCell + 1, auxiliary.backward(gAuxiliary));
            }
            for (int i = cells.size() - 1; i >= 0; i--) {
                List<INDArray> g = cells.get(i).backwardInputs(grads.get(i + 1));
                INDArray g1 = g.get(1);
                grads.add(i, pre1.get(i).backward(g1));
                grads.add(Math.max(i - 1, 0), pre0.get(i).backward(g.get(0)));
            }
            return stem.backward(grads.get(0));
        }

        /** The main head only: the auxiliary head runs in training and is not part of the inference graph. */
        @Override
        public String export(GraphSink sink, String input) {
            String[] names = new String[cells.size() + 1];
            names[0] = stem.export(sink, input);
            for (int i = 0; i < cells.size(); i++) {
                String s0 = pre0.get(i).export(sink, names[Math.max(i - 1, 0)]);
                String s1 = pre1.get(i).export(sink, names[i]);
                names[i + 1] = cells.get(i).export(sink, List.of(s0, s1));
            }
            return head.export(sink, names[cells.size()]);
        }
    }
}
