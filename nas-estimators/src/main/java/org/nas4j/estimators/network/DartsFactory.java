package org.nas4j.estimators.network;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsOps;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The DARTS CIFAR evaluation network ({@code NetworkCIFAR} of the reference, {@link DartsCostModel}; by default
 * without the auxiliary head and without drop-path) for architectures of a {@link DartsSpace}: stem conv 3x3 to 3C + BN;
 * {@code layers} cells, those at {@code layers/3} and {@code 2*layers/3} reducing and doubling C; each cell's
 * inputs preprocessed to C by ReLU-conv1x1-BN (input 0 by a factorized reduce after a reduction cell); global
 * average pooling and a linear classifier. Its parameter count equals {@code DartsCostModel.cifar(genotype)
 * .channels(C).layers(L).auxiliary(false).build().parameters()} for 3-channel input. It is the network of
 * {@link DartsDefinition#cifar} compiled by {@link SpaceCompiler} (the one skeleton of every compiled network):
 * the factory translates the architecture to that space ({@link DartsDefinition#architecture}) and sets the
 * compiler's options. The cells' ops are every op of the DARTS, NASNet and PNAS op sets
 * ({@link DartsModules#SUPPORTED}).
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
        return new DartsFactory(this, auxiliaryWeight, dropPathProbability, Objects.requireNonNull(type, "type"));
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

    /**
     * Compiles {@code architecture} with {@link SpaceCompiler} from {@link DartsDefinition#cifar} around cells of
     * its genotype's blocks ({@link #cellSpace}), with this factory's input, classes and options.
     */
    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        Genotype genotype = space.genotype(architecture);
        ComposedSpace network = DartsDefinition.cifar(cellSpace(genotype), channels, layers, auxiliaryWeight > 0)
                .input(inputChannels, imageSize, imageSize).classes(classes).build();
        SpaceCompiler compiler = new SpaceCompiler(network).dataType(dataType).auxiliaryWeight(auxiliaryWeight)
                .dropPath(dropPathProbability);
        return compiler.build(DartsDefinition.architecture(network, genotype), seed);
    }

    /**
     * The space of fixed cells that holds {@code genotype}: the factory's space, or, for a progressive or
     * shared-cell space (PNAS), two cells of the genotype's block count with the same ops and rules.
     */
    private DartsSpace cellSpace(Genotype genotype) {
        if (!space.progressive() && !space.sharedCell()) {
            return space;
        }
        List<String> ops = space.ops().stream().filter(op -> !op.equals(DartsOps.NONE)).toList();
        return DartsSpace.builder().nodes(genotype.normal().size() / 2).ops(ops).includeNone(space.includesNone())
                .distinctInputs(space.distinctInputs()).concat(space.concatRule()).build();
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        if (inputChannels != 3) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(DartsCostModel.cifar(space.genotype(architecture)).channels(channels).layers(layers)
                .numClasses(classes).inputSize(imageSize).auxiliary(false).build().multiplyAdds());
    }
}
