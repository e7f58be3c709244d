package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.BatchNorm;
import org.nas4j.estimators.engine.ops.Dropout;
import org.nas4j.estimators.engine.ops.ChannelShuffle;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nas4j.estimators.engine.ops.Dense;
import org.nas4j.estimators.engine.ops.GlobalAveragePool;
import org.nas4j.estimators.engine.ops.Identity;
import org.nas4j.estimators.engine.ops.Pool2d;
import org.nas4j.estimators.engine.ops.Relu;
import org.nas4j.estimators.engine.ops.Relu6;
import org.nas4j.estimators.engine.ops.Sum;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Factories of the primitive {@link Module}s that compiled networks are made of: each wraps one engine layer and
 * knows how to describe itself to a {@link GraphSink}.
 *
 * <pre>{@code
 * Module reluConvBn = Modules.sequence(Modules.relu("e.relu"),
 *         Modules.conv(params, "e.conv", new GraphSink.ConvSpec(16, 16, 3, 1, 1, 1, 1)),
 *         Modules.batchNorm(params, "e.bn", 16, true));
 * }</pre>
 */
public final class Modules {

    /** Epsilon of every batch norm the compiler builds (PyTorch's default). */
    public static final double BN_EPSILON = 1e-5;

    private Modules() {
    }

    /** A convolution without bias. */
    public static Module conv(ParameterSet params, String name, GraphSink.ConvSpec spec) {
        Conv2d conv = Conv2d.builder(params, name, spec.in(), spec.out(), spec.kernelHeight(), spec.kernelWidth())
                .stride(spec.strideHeight(), spec.strideWidth()).padding(spec.paddingHeight(), spec.paddingWidth())
                .dilation(spec.dilation()).groups(spec.groups()).build();
        return new Wrapped(conv, (sink, in) -> sink.conv2d(name, in, spec, find(params, name + ".weight").value()));
    }

    /** Batch norm (momentum 0.1, epsilon {@link #BN_EPSILON}). */
    public static Module batchNorm(ParameterSet params, String name, int channels, boolean affine) {
        return batchNorm(params, name, channels, affine, 0.1);
    }

    /**
     * Batch norm with epsilon {@link #BN_EPSILON} and the given momentum (PyTorch's convention: the weight of the
     * batch statistics in the running ones; TensorFlow's momentum 0.997 is 0.003 here).
     */
    public static Module batchNorm(ParameterSet params, String name, int channels, boolean affine,
            double momentum) {
        return batchNorm(params, name, channels, affine, momentum, BN_EPSILON);
    }

    /** Batch norm with the given momentum (PyTorch's convention) and {@code epsilon} (> 0). */
    public static Module batchNorm(ParameterSet params, String name, int channels, boolean affine,
            double momentum, double epsilon) {
        BatchNorm bn = new BatchNorm(params, name, channels, affine, momentum, epsilon);
        return new Wrapped(bn, (sink, in) -> sink.batchNorm(name, in,
                affine ? find(params, name + ".gamma").value() : null,
                affine ? find(params, name + ".beta").value() : null,
                Nd4j.createFromArray(bn.runningMean()), Nd4j.createFromArray(bn.runningVariance()), epsilon,
                momentum));
    }

    /**
     * Inverted dropout of elements with probability {@code rate} in training ({@link Dropout}), registered with
     * {@code params} ({@link ParameterSet#dropouts()}); the identity in inference unless a compiler switches it on
     * there ({@code ComposedSpace.dropoutInInference()}), and the identity in the export.
     */
    public static Module dropout(ParameterSet params, String name, double rate, long seed) {
        Dropout d = new Dropout(rate, seed);
        params.addDropout(d);
        return new Wrapped(d, (sink, in) -> in);
    }

    /** ReLU. */
    public static Module relu(String name) {
        return new Wrapped(new Relu(), (sink, in) -> sink.relu(name, in));
    }

    /** ReLU6. */
    public static Module relu6(String name) {
        return new Wrapped(new Relu6(), (sink, in) -> sink.relu6(name, in));
    }

    /** Average pooling. */
    public static Module averagePool(String name, int kernel, int stride, int padding, boolean countIncludePad) {
        return new Wrapped(Pool2d.average(kernel, stride, padding, countIncludePad),
                (sink, in) -> sink.pool(name, in, false, kernel, stride, padding, countIncludePad));
    }

    /** Max pooling. */
    public static Module maxPool(String name, int kernel, int stride, int padding) {
        return new Wrapped(Pool2d.max(kernel, stride, padding),
                (sink, in) -> sink.pool(name, in, true, kernel, stride, padding, false));
    }

    /** 1-D max or average pooling along time with 'same' padding ({@link Pool2d#temporal}). */
    public static Module temporalPool(String name, boolean max, int kernel, int stride) {
        return new Wrapped(Pool2d.temporal(max, kernel, stride),
                (sink, in) -> sink.temporalPool(name, in, max, kernel, stride));
    }

    /** The identity. */
    public static Module identity() {
        return new Wrapped(new Identity(), (sink, in) -> in);
    }

    /** Global average pooling. */
    public static Module globalAveragePool(String name) {
        return new Wrapped(new GlobalAveragePool(), (sink, in) -> sink.globalAveragePool(name, in));
    }

    /** The linear classifier (logits; the export adds the softmax). */
    public static Module classifier(ParameterSet params, String name, int in, int classes) {
        return classifier(params, name, in, classes, true);
    }

    /** The linear classifier, with or without bias (logits; the export adds the softmax). */
    public static Module classifier(ParameterSet params, String name, int in, int classes, boolean bias) {
        Dense dense = new Dense(params, name, in, classes, Initializer.uniformFanIn(Math.max(1, in)), bias);
        return new Wrapped(dense, (sink, x) -> sink.classifier(name, x, find(params, name + ".weight").value(),
                bias ? find(params, name + ".bias").value() : null));
    }

    /** SPOS' channel shuffle of {@code groups} groups ({@link ChannelShuffle}). */
    public static Module channelShuffle(String name, int groups) {
        return new Wrapped(new ChannelShuffle(groups), (sink, in) -> sink.channelShuffle(name, in, groups));
    }

    /**
     * ShuffleNetV2's channel split: of {@code in} input channels the first {@code kept} pass through, the others go
     * through {@code branch} (which keeps height and width), and the two are concatenated
     * ({@link org.nas4j.estimators.engine.ops.ChannelSplit}).
     */
    public static Module channelSplit(String name, int in, int kept, Module branch) {
        return BranchModules.split(name, in, kept, branch);
    }

    /**
     * {@code concat(first(x), second(x))} along the channels ({@link
     * org.nas4j.estimators.engine.ops.ConcatBranches}; the stride-2 ShuffleNetV2 block).
     */
    public static Module concatBranches(String name, Module first, Module second) {
        return BranchModules.concat(name, first, second);
    }

    /** ReLU, convolution with padding {@code kernel/2}, batch norm (NAS-Bench-201's {@code nor_conv_kxk}). */
    public static Module reluConvBn(ParameterSet params, String name, int in, int out, int kernel, int stride,
            boolean affine) {
        return sequence(relu(name + ".relu"),
                conv(params, name + ".conv", new GraphSink.ConvSpec(in, out, kernel, stride, kernel / 2, 1, 1)),
                batchNorm(params, name + ".bn", out, affine));
    }

    /**
     * Modules applied one after the other. A batch norm followed by a ReLU or ReLU6 computes the activation in its
     * own passes ({@link BatchNorm#fuseActivation}): same values, same gradients, same export (the two layers), one
     * layer's passes over the activations fewer.
     */
    public static Module sequence(Module... modules) {
        List<Module> fused = new ArrayList<>(modules.length);
        for (int i = 0; i < modules.length; i++) {
            Module next = i + 1 < modules.length ? modules[i + 1] : null;
            if (modules[i] instanceof Wrapped bn && bn.layer() instanceof BatchNorm norm
                    && norm.activation() == BatchNorm.Activation.NONE && next instanceof Wrapped act
                    && fusedActivation(act.layer()) != null && norm.fuseActivation(fusedActivation(act.layer()))) {
                fused.add(new Wrapped(norm, (sink, in) -> act.export(sink, bn.export(sink, in))));
                i++;
            } else {
                fused.add(modules[i]);
            }
        }
        return new Sequence(List.copyOf(fused));
    }

    private static BatchNorm.Activation fusedActivation(Layer layer) {
        return layer instanceof Relu ? BatchNorm.Activation.RELU
                : layer instanceof Relu6 ? BatchNorm.Activation.RELU6 : null;
    }

    /** {@code main(x) + shortcut(x)} (a residual block). */
    public static Module residual(String name, Module main, Module shortcut) {
        return new Residual(name, main, shortcut, null);
    }

    /**
     * {@code main(x) + shortcut(x)}, handing dead buffers to {@code pool}: the branches' outputs once summed, their
     * input gradients once the block's own is summed, and all activations at the end of the block's backward pass
     * (so its output and the returned gradient are valid until the block's backward pass, and the next layer's
     * backward must come first). With a null pool the block keeps its buffers, as {@link #residual(String, Module,
     * Module)}.
     */
    public static Module residual(String name, Module main, Module shortcut, ArrayPool pool) {
        return new Residual(name, main, shortcut, pool);
    }

    /** The parameter named {@code name}. */
    static Parameter find(ParameterSet params, String name) {
        for (Parameter p : params.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter named '" + name + "'");
    }

    @FunctionalInterface
    private interface Exporter {
        String export(GraphSink sink, String input);
    }

    private static final class Wrapped extends DelegatingModule {
        private final Layer layer;
        private final Exporter exporter;

        Wrapped(Layer layer, Exporter exporter) {
            super(layer);
            this.layer = layer;
            this.exporter = exporter;
        }

        Layer layer() {
            return layer;
        }

        @Override
        public String export(GraphSink sink, String input) {
            return exporter.export(sink, input);
        }
    }

    /**
     * Once a pool has been given to it (any release method; a supernet does it at construction), the backward pass
     * hands buffers back as soon as they are dead, as {@link org.nas4j.estimators.engine.ops.Sequential} does: after
     * module {@code k}'s backward, the input gradient of module {@code k + 1} (just consumed) and the output of
     * module {@code k - 1} (module {@code k}'s input, which only its backward read).
     */
    private static final class Sequence implements Module {
        private final List<Module> modules;
        private ArrayPool pool;

        Sequence(List<Module> modules) {
            if (modules.isEmpty()) {
                throw new IllegalArgumentException("modules must hold at least one module, but was empty");
            }
            this.modules = modules;
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            INDArray h = x;
            for (Module m : modules) {
                h = m.forward(h, mode);
            }
            return h;
        }

        @Override
        public INDArray backward(INDArray gy) {
            INDArray g = gy;
            for (int i = modules.size() - 1; i >= 0; i--) {
                g = modules.get(i).backward(g);
                if (pool != null) {
                    if (i + 1 < modules.size()) {
                        modules.get(i + 1).releaseGradientBuffers(pool); // consumed by module i just now
                    }
                    if (i > 0) {
                        modules.get(i - 1).releaseOutput(pool); // module i's input: its backward was the last reader
                    }
                }
            }
            return g;
        }

        @Override
        public void releaseBuffers(ArrayPool into) {
            this.pool = into;
            modules.forEach(m -> m.releaseBuffers(into));
        }

        @Override
        public void releaseGradientBuffers(ArrayPool into) {
            this.pool = into;
            modules.forEach(m -> m.releaseGradientBuffers(into));
        }

        @Override
        public void releaseOutput(ArrayPool into) {
            this.pool = into;
            modules.get(modules.size() - 1).releaseOutput(into);
        }

        @Override
        public String export(GraphSink sink, String input) {
            String h = input;
            for (Module m : modules) {
                h = m.export(sink, h);
            }
            return h;
        }
        @Override
        public java.util.Optional<Module> afterLeadingRelu() {
            if (modules.size() < 2 || !(modules.get(0) instanceof Wrapped w && w.layer() instanceof Relu)) {
                return java.util.Optional.empty();
            }
            List<Module> rest = modules.subList(1, modules.size());
            return java.util.Optional.of(rest.size() == 1 ? rest.get(0) : new Sequence(List.copyOf(rest)));
        }
    }

    private static final class Residual implements Module {
        private final String name;
        private final Module main;
        private final Module shortcut;
        private final Sum sum = new Sum();
        private final Sum gradientSum = new Sum();
        private final ArrayPool pool;

        Residual(String name, Module main, Module shortcut, ArrayPool pool) {
            this.name = name;
            this.main = main;
            this.shortcut = shortcut;
            this.pool = pool;
            if (pool != null) {
                // empty buffers: makes every buffer take its arrays from the pool from the first pass on
                releaseActivations();
            }
        }

        @Override
        public INDArray forward(INDArray x, Mode mode) {
            INDArray y = sum.forward(List.of(main.forward(x, mode), shortcut.forward(x, mode)));
            if (pool != null) {
                // the branches' outputs are dead once summed (their backward reads their inputs)
                main.releaseOutput(pool);
                shortcut.releaseOutput(pool);
            }
            return y;
        }

        @Override
        public INDArray backward(INDArray gy) {
            if (pool == null) {
                return gradientSum.forward(List.of(main.backward(gy), shortcut.backward(gy)));
            }
            // makes the branches' gradient buffers take their arrays from the pool
            releaseBranchGradients();
            INDArray gx = gradientSum.forward(List.of(main.backward(gy), shortcut.backward(gy)));
            // the branches' gradients are dead now that their sum (the sum's own buffer) is computed, and so are
            // the block's activations, its output included (the next layer's backward is done)
            releaseBranchGradients();
            releaseActivations();
            return gx;
        }

        private void releaseBranchGradients() {
            main.releaseGradientBuffers(pool);
            shortcut.releaseGradientBuffers(pool);
        }

        // a block built without a pool (a catalogue op) is pooled by its owner (a supernet after its backward pass)
        @Override
        public void releaseBuffers(ArrayPool into) {
            main.releaseBuffers(into);
            shortcut.releaseBuffers(into);
            sum.releaseBuffers(into);
            gradientSum.releaseBuffers(into);
        }

        @Override
        public void releaseGradientBuffers(ArrayPool into) {
            main.releaseGradientBuffers(into);
            shortcut.releaseGradientBuffers(into);
            gradientSum.releaseBuffers(into);
        }

        @Override
        public void releaseOutput(ArrayPool into) {
            // the output is the sum's buffer, which the backward pass does not read
            sum.releaseBuffers(into);
        }

        private void releaseActivations() {
            main.releaseBuffers(pool);
            shortcut.releaseBuffers(pool);
            sum.releaseBuffers(pool);
        }

        @Override
        public String export(GraphSink sink, String input) {
            List<String> branches = new ArrayList<>(2);
            branches.add(main.export(sink, input));
            branches.add(shortcut.export(sink, input));
            return sink.add(name + ".add", branches);
        }
    }
}
