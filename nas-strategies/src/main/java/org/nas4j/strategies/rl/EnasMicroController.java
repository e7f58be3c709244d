package org.nas4j.strategies.rl;

import java.util.random.RandomGenerator;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The micro controller of ENAS (Pham et al., ICML 2018) as its reference builds it (melodyguan/enas at commit
 * {@code 00787a5f}, {@code src/cifar10/micro_controller.py}), for a micro space's choice vector, the reference's
 * arc: per node {@code x_id, x_op, y_id, y_op}, the normal cell's nodes, then the reduction cell's
 * ({@code EnasMicroSpace}). A stacked LSTM without biases ({@code stack_lstm}: gates {@code i, f, o, g} from
 * {@code [x, h] W}) runs the normal cell, then the reduction cell with the state carried over
 * ({@code _build_sampler} twice). Per cell: two steps on the learned start vector {@code g_emb} whose outputs
 * are the anchors of the two cell inputs; per node, two index steps, two op steps and one more step whose output is
 * the node's anchor. An index step attends over the anchors so far, logits
 * {@code v^T tanh(a_k W_1 + h W_2)}; an op step reads {@code h W_soft + b_soft}. Logits are divided by the
 * temperature, then put through {@code c tanh(.)} (for ops {@code c / opTanhReduce}); in the normal cell the op
 * logits also get the fixed {@code b_soft_no_learn} ({@code +0.25} for ops 0 and 1, {@code -0.25} for the
 * others). The next step's input: after an index step the chosen anchor's output (a zero vector for the two cell
 * inputs), after an op step the op's embedding row of {@code w_emb}, after a node {@code g_emb}.
 *
 * <p>Parameters, in order, all uniform in {@code [-initRange, initRange]} (the reference: 0.1) except
 * {@code b_soft}, which starts at {@code 10} for ops 0 and 1 and 0 for the others: per layer {@code lstm.w<l>
 * [2H, 4H]}, {@code g_emb [1, H]}, {@code w_emb [B, H]}, {@code w_soft [H, B]}, {@code b_soft [1, B]},
 * {@code w_attn_1 [H, H]}, {@code w_attn_2 [H, H]}, {@code v_attn [H, 1]}.
 *
 * <p>Forward and backward (through time, through the attention and through the anchors fed back as inputs) run in
 * plain Java on a copy of the values: the model is small (about 42,000 parameters and 54 steps at the reference's
 * sizes) and its steps depend on its own earlier outputs. Not thread-safe.
 */
public final class EnasMicroController implements Policy {
    private final int[] sizes;
    private final int[] from;
    private final int nodes;
    private final int ops;
    private final int hidden;
    private final int layers;
    private final MicroControllerSettings settings;
    private final ParameterSet params;
    private final Parameter[] lstm;
    private final Parameter gEmb;
    private final Parameter wEmb;
    private final Parameter wSoft;
    private final Parameter bSoft;
    private final Parameter wAttn1;
    private final Parameter wAttn2;
    private final Parameter vAttn;
    private final double[] noLearnBias;
    private final double[] mask;
    private final int steps;

    /**
     * A controller for the choice vector of a micro space with {@code sizes[i]} options per choice, with
     * {@code hidden} LSTM units, initialised from {@code seed}; {@code allowed} masks options as
     * {@link LstmController} does (null: none).
     *
     * @throws IllegalArgumentException if {@code sizes} is not the arc of two cells of nodes ({@code x_id} over
     *                                  {@code j + 2} states, an op, {@code y_id}, an op, for node {@code j}), or a
     *                                  size is out of range
     */
    public EnasMicroController(int[] sizes, int hidden, double initRange, MicroControllerSettings settings, long seed,
            boolean[][] allowed) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, but was " + hidden);
        }
        this.sizes = Policy.checkSizes(sizes);
        if (sizes.length % 8 != 0) {
            throw new IllegalArgumentException("sizes must hold two cells of 4 choices per node (x_id, x_op, y_id,"
                    + " y_op), a multiple of 8, but had " + sizes.length);
        }
        this.nodes = sizes.length / 8;
        this.ops = sizes[1];
        for (int i = 0; i < sizes.length; i++) {
            int node = i % (4 * nodes) / 4;
            int expected = i % 2 == 0 ? node + 2 : ops;
            if (sizes[i] != expected) {
                throw new IllegalArgumentException("sizes[" + i + "] must be " + expected + " (node " + node + "'s "
                        + (i % 2 == 0 ? "input index over " + (node + 2) + " earlier states" : "op, as sizes[1]")
                        + "), but was " + sizes[i]);
            }
        }
        this.from = Policy.offsets(sizes);
        this.hidden = hidden;
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.layers = settings.layers();
        Initializer init = Initializer.uniform(initRange);
        this.params = new ParameterSet(DataType.DOUBLE, seed);
        this.lstm = new Parameter[layers];
        for (int l = 0; l < layers; l++) {
            lstm[l] = params.add("lstm.w" + l, new long[] {2L * hidden, 4L * hidden}, init);
        }
        this.gEmb = params.add("g_emb", new long[] {1, hidden}, init);
        this.wEmb = params.add("w_emb", new long[] {ops, hidden}, init);
        this.wSoft = params.add("w_soft", new long[] {hidden, ops}, init);
        this.bSoft = params.add("b_soft", new long[] {1, ops}, (values, rng) -> {
            for (int k = 0; k < values.length; k++) {
                values[k] = k < 2 ? 10 : 0;
            }
        });
        this.wAttn1 = params.add("w_attn_1", new long[] {hidden, hidden}, init);
        this.wAttn2 = params.add("w_attn_2", new long[] {hidden, hidden}, init);
        this.vAttn = params.add("v_attn", new long[] {hidden, 1}, init);
        params.seal();
        this.noLearnBias = new double[ops];
        for (int k = 0; k < ops; k++) {
            noLearnBias[k] = k < 2 ? 0.25 : -0.25;
        }
        this.mask = Policy.maskOffsets(this.sizes, allowed);
        this.steps = 2 * (2 + 5 * nodes);
    }

    @Override
    public ParameterSet parameters() {
        return params;
    }

    /** Nodes per cell. */
    public int nodes() {
        return nodes;
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] actions = new int[sizes.length];
        new MicroTape(this, HostArrays.read(params.values())).run(actions, rng, 0, 0);
        return actions;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, boolean gradient) {
        if (actions.length != sizes.length) {
            throw new IllegalArgumentException("actions must have " + sizes.length + " entries, but had "
                    + actions.length);
        }
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] < 0 || actions[i] >= sizes[i]) {
                throw new IllegalArgumentException("actions[" + i + "] must be in [0, " + (sizes[i] - 1)
                        + "], but was " + actions[i]);
            }
        }
        MicroTape tape = new MicroTape(this, HostArrays.read(params.values()));
        double value = tape.run(actions.clone(), null, logProbWeight, entropyWeight);
        if (gradient) {
            HostArrays.write(tape.backward(logProbWeight, entropyWeight), params.gradients());
            for (Parameter p : params.parameters()) {
                p.markGradient();
            }
        }
        return value;
    }

    // The layout the tape reads: offsets into the flat values and sizes.

    int hidden() {
        return hidden;
    }

    int layers() {
        return layers;
    }

    int ops() {
        return ops;
    }

    int steps() {
        return steps;
    }

    int choices() {
        return sizes.length;
    }

    int size(int choice) {
        return sizes[choice];
    }

    double maskOf(int choice, int option) {
        return mask[from[choice] + option];
    }

    double noLearnBias(int op) {
        return noLearnBias[op];
    }

    MicroControllerSettings settings() {
        return settings;
    }

    int lstmOffset(int layer) {
        return (int) lstm[layer].offset();
    }

    int gEmbOffset() {
        return (int) gEmb.offset();
    }

    int wEmbOffset() {
        return (int) wEmb.offset();
    }

    int wSoftOffset() {
        return (int) wSoft.offset();
    }

    int bSoftOffset() {
        return (int) bSoft.offset();
    }

    int wAttn1Offset() {
        return (int) wAttn1.offset();
    }

    int wAttn2Offset() {
        return (int) wAttn2.offset();
    }

    int vAttnOffset() {
        return (int) vAttn.offset();
    }
}
