package org.nas4j.estimators.network;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.ArrayPool;
import org.nas4j.estimators.engine.GradientSums;
import org.nas4j.estimators.engine.Mode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The body of a network compiled from a {@link org.nas4j.core.space.builder.NetworkPlan}: its steps in order, each
 * reading the output of the step before it, a two-input cell the outputs of the two steps before it (each through
 * its preprocessing module); optionally an auxiliary head on one step's output in training. State 0 is the input,
 * state {@code i + 1} the output of step {@code i}; a join reads any earlier states; gradients of a state are summed over its readers.
 */
final class PlanBody implements AuxiliaryBody {

    /**
     * One step: a layer ({@code cell} null, {@code layer} set) or a cell with its preprocessing modules (null for an
     * input used as it is; both null for a join, whose inputs go to its cell as they are).
     *
     * @param inputs the states it reads: one, two for a two-input cell, any number for a join
     */
    record Unit(Module layer, GraphCell cell, Module pre0, Module pre1, int[] inputs) {
    }

    private final List<Unit> units;
    private final Module auxiliary;
    private final int auxiliaryState;
    private final INDArray[] states;
    private final GradientSums grads;
    private INDArray auxiliaryLogits;

    /**
     * @param units          the steps
     * @param auxiliary      the auxiliary head, or null
     * @param auxiliaryState the state it reads
     */
    PlanBody(List<Unit> units, Module auxiliary, int auxiliaryState) {
        this.units = List.copyOf(units);
        this.auxiliary = auxiliary;
        this.auxiliaryState = auxiliaryState;
        this.states = new INDArray[units.size() + 1];
        this.grads = new GradientSums(units.size() + 1);
    }

    @Override
    public INDArray forward(INDArray x, Mode mode) {
        states[0] = x;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u.cell() == null) {
                states[i + 1] = u.layer().forward(states[u.inputs()[0]], mode);
            } else if (u.pre0() == null) {
                List<INDArray> in = new ArrayList<>(u.inputs().length);
                for (int s : u.inputs()) {
                    in.add(states[s]);
                }
                states[i + 1] = u.cell().forward(in, mode);
            } else {
                INDArray s0 = u.pre0().forward(states[u.inputs()[0]], mode);
                INDArray s1 = u.pre1().forward(states[u.inputs()[1]], mode);
                states[i + 1] = u.cell().forward(List.of(s0, s1), mode);
            }
        }
        auxiliaryLogits = auxiliary != null && mode == Mode.TRAINING
                ? auxiliary.forward(states[auxiliaryState], mode) : null;
        return states[units.size()];
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
        grads.add(units.size(), gy);
        if (gAuxiliary != null) {
            if (auxiliaryLogits == null) {
                throw new IllegalStateException("no auxiliary logits to back-propagate: the auxiliary head runs only in"
                        + " a training forward pass of a network built with one");
            }
            grads.add(auxiliaryState, auxiliary.backward(gAuxiliary));
        }
        for (int i = units.size() - 1; i >= 0; i--) {
            Unit u = units.get(i);
            INDArray g = grads.get(i + 1);
            if (g == null) {
                continue;   // a state no later step reads (a join may leave one unread): nothing flows back
            }
            if (u.cell() == null) {
                grads.add(u.inputs()[0], u.layer().backward(g));
            } else {
                List<INDArray> gs = u.cell().backwardInputs(g);
                if (u.pre0() == null) {
                    for (int k = 0; k < u.inputs().length; k++) {
                        grads.add(u.inputs()[k], gs.get(k));
                    }
                } else {
                    grads.add(u.inputs()[1], u.pre1().backward(gs.get(1)));
                    grads.add(u.inputs()[0], u.pre0().backward(gs.get(0)));
                }
            }
        }
        return grads.get(0);
    }

    /**
     * Hands the buffers of the layers and preprocessing modules, and the gradient sums of the states, to
     * {@code pool} (a supernet does it after its backward pass, so that the next step reuses them, as its cells do
     * with theirs). The modules that read the input keep their input gradients, which {@link #backward} returned:
     * only their output goes. Must not be called between a forward pass and its backward pass.
     */
    void releaseLayerBuffers(ArrayPool pool) {
        for (Unit u : units) {
            release(u.layer(), u.inputs()[0], pool);
            if (u.cell() != null && u.pre0() != null) {
                release(u.pre0(), u.inputs()[0], pool);
                release(u.pre1(), u.inputs()[1], pool);
            }
        }
        for (int s = 1; s < states.length; s++) {
            grads.releaseBuffer(s, pool);
        }
    }

    private static void release(Module module, int input, ArrayPool pool) {
        if (module == null) {
            return;
        }
        if (input == 0) {
            module.releaseOutput(pool);
        } else {
            module.releaseBuffers(pool);
        }
    }

    /** The inference path: the auxiliary head, which runs in training only, is left out. */
    @Override
    public String export(GraphSink sink, String input) {
        String[] names = new String[units.size() + 1];
        names[0] = input;
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u.cell() == null) {
                names[i + 1] = u.layer().export(sink, names[u.inputs()[0]]);
            } else if (u.pre0() == null) {
                List<String> in = new ArrayList<>(u.inputs().length);
                for (int s : u.inputs()) {
                    in.add(names[s]);
                }
                names[i + 1] = u.cell().export(sink, in);
            } else {
                List<String> in = new ArrayList<>(2);
                in.add(u.pre0().export(sink, names[u.inputs()[0]]));
                in.add(u.pre1().export(sink, names[u.inputs()[1]]));
                names[i + 1] = u.cell().export(sink, in);
            }
        }
        return names[units.size()];
    }

}
