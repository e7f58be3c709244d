package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A layer of a supernet whose channels a channel choice sets, sharing one set of weights among all its widths as
 * SPOS' channel search does (Guo et al., ECCV 2020): the widest layer's weights are the trainable ones, and a
 * narrower width runs a layer of its own size whose every parameter is the leading block of the widest one's (the
 * first {@code c} output channels and the first {@code c'} input channels, every other axis whole). Before its
 * forward pass the block is copied in; after its backward pass the block's gradient is written into the widest
 * weights' gradient, zero elsewhere. Only the width of the current pass is computed. Batch-norm running statistics
 * are not weights: each width keeps its own (the switchable batch norm of slimmable networks).
 */
final class SlicedModule implements Module {

    /** Which option of each channel edge the current pass takes. */
    interface Widths {
        int option(int channelEdge);
    }

    private final Module widest;
    private final List<Parameter> widestParams;
    private final int[] channelEdges;
    private final List<SupernetLayout.Variant> variants;
    private final Module[] modules;
    private final List<List<Parameter>> params;
    private final Widths widths;
    private Module active;
    private List<Parameter> activeParams;

    /**
     * @param widest       the layer at its widest channels, its parameters trainable
     * @param widestParams its parameters
     * @param channelEdges the channel edges that size it
     * @param variants     its channels for every option combination of {@code channelEdges}
     * @param modules      the layer of each variant ({@code widest} itself where the variant is the widest)
     * @param params       the parameters of each variant's layer, parallel to {@code widestParams}
     */
    SlicedModule(Module widest, List<Parameter> widestParams, int[] channelEdges,
            List<SupernetLayout.Variant> variants, Module[] modules, List<List<Parameter>> params, Widths widths) {
        this.widest = widest;
        this.widestParams = List.copyOf(widestParams);
        this.channelEdges = channelEdges.clone();
        this.variants = List.copyOf(variants);
        this.modules = modules.clone();
        this.params = List.copyOf(params);
        this.widths = widths;
    }

    @Override
    public INDArray forward(INDArray input, Mode mode) {
        int v = variant();
        active = modules[v];
        activeParams = params.get(v);
        if (active != widest) {
            for (int i = 0; i < widestParams.size(); i++) {
                Parameter narrow = activeParams.get(i);
                narrow.value().assign(block(widestParams.get(i).value(), narrow.shape()));
            }
        }
        return active.forward(input, mode);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray g = active.backward(gradOutput);
        if (active != widest) {
            for (int i = 0; i < widestParams.size(); i++) {
                Parameter narrow = activeParams.get(i);
                Parameter wide = widestParams.get(i);
                if (narrow.hasGradient()) {
                    wide.gradient().assign(0);
                    block(wide.gradient(), narrow.shape()).assign(narrow.gradient());
                    wide.markGradient();
                    narrow.clearGradient();
                }
            }
        }
        return g;
    }

    private int variant() {
        search:
        for (int v = 0; v < variants.size(); v++) {
            int[] options = variants.get(v).options();
            for (int s = 0; s < channelEdges.length; s++) {
                if (options[s] != widths.option(channelEdges[s])) {
                    continue search;
                }
            }
            return v;
        }
        throw new IllegalStateException("no width variant for the current channel options");
    }

    /** The leading block of {@code wide} of the given shape: a view. */
    private static INDArray block(INDArray wide, long[] shape) {
        INDArrayIndex[] index = new INDArrayIndex[shape.length];
        for (int a = 0; a < shape.length; a++) {
            index[a] = NDArrayIndex.interval(0, shape[a]);
        }
        return wide.get(index);
    }

    @Override
    public void releaseBuffers(ArrayPool pool) {
        distinct().forEach(m -> m.releaseBuffers(pool));
    }

    @Override
    public void releaseGradientBuffers(ArrayPool pool) {
        distinct().forEach(m -> m.releaseGradientBuffers(pool));
    }

    /** The layers of the variants, each once (variants of one size share a layer). */
    private java.util.Set<Module> distinct() {
        java.util.Set<Module> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        out.addAll(java.util.Arrays.asList(modules));
        return out;
    }

    @Override
    public void releaseOutput(ArrayPool pool) {
        if (active != null) {
            active.releaseOutput(pool);
        }
    }

    @Override
    public String export(GraphSink sink, String input) {
        throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and compile"
                + " it with SpaceCompiler");
    }
}
