package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Graph;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.spaces.darts.DartsNetwork;
import org.nas4j.spaces.darts.DartsSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DARTS CIFAR evaluation network ({@code NetworkCIFAR} of the reference, {@link DartsNetwork} without the
 * auxiliary head and without drop-path) for architectures of a {@link DartsSpace}: stem conv 3x3 to 3C + BN;
 * {@code layers} cells, those at {@code layers/3} and {@code 2*layers/3} reducing and doubling C; each cell's
 * inputs preprocessed to C by ReLU-conv1x1-BN (input 0 by a factorized reduce after a reduction cell); global
 * average pooling and a linear classifier. Its parameter count equals {@code DartsNetwork.cifar(genotype)
 * .channels(C).layers(L).auxiliary(false).build().parameters()} for 3-channel input.
 *
 * <pre>{@code
 * TrainableNetwork net = new DartsFactory(DartsSpace.darts(), 16, 8, 10, 3, 32)
 *         .build(space.architecture(Genotypes.DARTS_V2), 42);
 * }</pre>
 */
public final class DartsFactory implements NetworkFactory {

    private final DartsSpace space;
    private final int channels;
    private final int layers;
    private final int classes;
    private final int inputChannels;
    private final int imageSize;

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
    }

    @Override
    public TrainableNetwork build(Architecture architecture, long seed) {
        List<Graph> cells = space.cells(architecture);
        Graph normal = cells.get(0);
        Graph reduce = cells.get(1);
        ParameterSet params = new ParameterSet(DataType.FLOAT, seed);
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
                    new int[] {c, c}, c, reduction);
            body.add(cell);
            prevPrev = prev;
            prev = cell.outputChannels();
            reductionPrev = reduction;
        }
        Module head = Modules.sequence(Modules.globalAveragePool("head.gap"),
                Modules.classifier(params, "head.classifier", prev, classes));
        return new TrainableNetwork(architecture.toString(), params,
                new Body(stemModule, pre0, pre1, body, head), inputChannels, imageSize, classes);
    }

    @Override
    public OptionalLong multiplyAdds(Architecture architecture) {
        if (inputChannels != 3) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(DartsNetwork.cifar(space.genotype(architecture)).channels(channels).layers(layers)
                .numClasses(classes).inputSize(imageSize).auxiliary(false).build().multiplyAdds());
    }

    /** Stem, cells reading the two previous states, head; gradients of each state summed over its two readers. */
    private static final class Body implements Module {
        private final Module stem;
        private final List<Module> pre0;
        private final List<Module> pre1;
        private final List<GraphCell> cells;
        private final Module head;
        private final INDArray[] states;
        private final INDArray[] grads;
        private final boolean[] owned;
        private final Buffer[] gradBuffers;
        private final NativeOp add = NativeOp.named("add");

        Body(Module stem, List<Module> pre0, List<Module> pre1, List<GraphCell> cells, Module head) {
            this.stem = stem;
            this.pre0 = pre0;
            this.pre1 = pre1;
            this.cells = cells;
            this.head = head;
            this.states = new INDArray[cells.size() + 1];
            this.grads = new INDArray[cells.size() + 1];
            this.owned = new boolean[cells.size() + 1];
            this.gradBuffers = new Buffer[cells.size() + 1];
            for (int i = 0; i < gradBuffers.length; i++) {
                gradBuffers[i] = new Buffer();
            }
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            states[0] = stem.forward(x, mode);
            for (int i = 0; i < cells.size(); i++) {
                INDArray s0 = pre0.get(i).forward(states[Math.max(i - 1, 0)], mode);
                INDArray s1 = pre1.get(i).forward(states[i], mode);
                states[i + 1] = cells.get(i).forward(List.of(s0, s1), mode);
            }
            return head.forward(states[cells.size()], mode);
        }

        @Override
        public INDArray backward(INDArray gy) {
            java.util.Arrays.fill(grads, null);
            java.util.Arrays.fill(owned, false);
            grads[cells.size()] = head.backward(gy);
            for (int i = cells.size() - 1; i >= 0; i--) {
                List<INDArray> g = cells.get(i).backwardInputs(grads[i + 1]);
                INDArray g1 = g.get(1);
                accumulate(i, pre1.get(i).backward(g1));
                accumulate(Math.max(i - 1, 0), pre0.get(i).backward(g.get(0)));
            }
            return stem.backward(grads[0]);
        }

        private void accumulate(int state, INDArray g) {
            if (grads[state] == null) {
                grads[state] = g;
            } else if (!owned[state]) {
                INDArray buf = gradBuffers[state].like(g);
                add.exec(buf, grads[state], g);
                grads[state] = buf;
                owned[state] = true;
            } else {
                grads[state].addi(g);
            }
        }

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
