package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The candidates of one supernet edge that are one block at several widths ({@link ModuleCatalogue#slice}: SPOS'
 * channel scales of a ShuffleNetV2 block), sharing the weights of the widest as SPOS' channel search does: the
 * widest member's parameters are the trained ones; a narrower member runs a module of its own size whose every
 * parameter is the leading block of the widest's (the first {@code c} channels of each axis), copied in before its
 * forward pass, its gradient added into that block of the widest's gradient after its backward pass. The widest's
 * gradient is the sum over the members run in a pass (a pass: forwards of some members, then their backwards; the
 * first backward forgets earlier passes), so a policy may run several members of a family at once (a weighted sum);
 * a single path runs one. Batch-norm running
 * statistics are not weights: each member keeps its own (the switchable batch norm of slimmable networks).
 */
final class SliceFamily {

    private final List<Parameter> widest;
    private final List<Buffer> stash = new ArrayList<>();
    /** Whether a member ran forward since the last backward: the next backward is a pass's first. */
    private boolean forwarded;
    /** Whether a narrower member has added its gradient in the current backward pass. */
    private boolean narrowerAdded;

    /** @param widest the widest member's parameters, in declaration order */
    SliceFamily(List<Parameter> widest) {
        this.widest = List.copyOf(widest);
        for (int i = 0; i < widest.size(); i++) {
            stash.add(new Buffer());
        }
    }

    /** The widest member: runs {@code module} on the family's weights. */
    Module widest(Module module) {
        return new Member(module, null);
    }

    /**
     * A narrower member: {@code module}, whose parameters {@code own} (parallel to the widest's) are leading blocks of
     * the widest's; an exception naming the first that is not.
     */
    Module narrower(Module module, List<Parameter> own, String name) {
        if (own.size() != widest.size()) {
            throw new IllegalArgumentException(name + " has " + own.size() + " parameters, the widest op of its family "
                    + widest.size() + ": it is not a slice of it");
        }
        for (int i = 0; i < own.size(); i++) {
            long[] narrow = own.get(i).shape();
            long[] wide = widest.get(i).shape();
            boolean fits = narrow.length == wide.length;
            for (int a = 0; fits && a < narrow.length; a++) {
                fits = narrow[a] <= wide[a];
            }
            if (!fits) {
                throw new IllegalArgumentException("parameter " + own.get(i) + " of " + name + " is not a leading block"
                        + " of " + widest.get(i) + " of the widest op of its family");
            }
        }
        return new Member(module, List.copyOf(own));
    }

    /**
     * At a pass's first member backward: forgets earlier passes' gradients. A narrower member zeroes the widest's
     * gradient (it writes only its block); the widest writes all of it anyway.
     */
    private void beginBackward(boolean narrower) {
        if (forwarded) {
            if (narrower) {
                for (Parameter p : widest) {
                    p.gradient().assign(0);
                }
            }
            forwarded = false;
            narrowerAdded = false;
        }
    }

    /** The leading block of {@code wide} of the given shape: a view. */
    private static INDArray block(INDArray wide, long[] shape) {
        INDArrayIndex[] index = new INDArrayIndex[shape.length];
        for (int a = 0; a < shape.length; a++) {
            index[a] = NDArrayIndex.interval(0, shape[a]);
        }
        return wide.get(index);
    }

    private final class Member extends DelegatingModule {
        private final List<Parameter> own;

        Member(Module module, List<Parameter> own) {
            super(module);
            this.own = own;
        }

        @Override
        public INDArray forward(INDArray input, Mode mode) {
            forwarded = true;
            if (own != null) {
                for (int i = 0; i < own.size(); i++) {
                    own.get(i).value().assign(block(widest.get(i).value(), own.get(i).shape()));
                }
            }
            return super.forward(input, mode);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            beginBackward(own != null);
            if (own == null) {
                // the widest writes its gradient: keep what narrower members added before it in this pass
                if (!narrowerAdded) {
                    return super.backward(gradOutput);
                }
                for (int i = 0; i < widest.size(); i++) {
                    stash.get(i).like(widest.get(i).gradient()).assign(widest.get(i).gradient());
                }
                INDArray g = super.backward(gradOutput);
                for (int i = 0; i < widest.size(); i++) {
                    widest.get(i).gradient().addi(stash.get(i).like(widest.get(i).gradient()));
                }
                return g;
            }
            INDArray g = super.backward(gradOutput);
            for (int i = 0; i < own.size(); i++) {
                Parameter narrow = own.get(i);
                if (narrow.hasGradient()) {
                    Parameter wide = widest.get(i);
                    block(wide.gradient(), narrow.shape()).addi(narrow.gradient());
                    wide.markGradient();
                    narrow.clearGradient();
                }
            }
            narrowerAdded = true;
            return g;
        }

        @Override
        public String export(GraphSink sink, String input) {
            throw new UnsupportedOperationException("a supernet is not exported: derive() an architecture and compile"
                    + " it with SpaceCompiler");
        }
    }
}
