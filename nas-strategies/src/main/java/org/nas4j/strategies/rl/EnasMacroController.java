package org.nas4j.strategies.rl;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.Choice;
import org.nas4j.estimators.engine.HostArrays;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The macro controller of ENAS (Pham et al., ICML 2018) as its reference builds it (melodyguan/enas at commit
 * {@code 00787a5f}, {@code src/cifar10/general_controller.py}, {@code GeneralController}), for the choice vector of
 * an ENAS macro space ({@code EnasMacroSpace}), in either mode of {@code search_whole_channels}.
 *
 * <p>A stacked LSTM without biases (gates {@code i, f, o, g} from {@code [x, h] W}) starts from zero states on the
 * learned vector {@code g_emb}. Per layer {@code i}:
 * <ul>
 *   <li>whole channels: one step whose output times {@code w_soft} gives the branch's logits; the branch's row of
 *       {@code w_emb} is the next input;</li>
 *   <li>channel ranges: per branch {@code j}, one step for the start ({@code C} logits from {@code w_soft_start<j>},
 *       next input the start's row of {@code w_emb_start<j>}) and one for the count ({@code C - 1} logits from
 *       {@code w_soft_count<j>}, index {@code n} meaning {@code n + 1} channels, masked to
 *       {@code n <= C - 1 - start} as the reference does; next input the row {@code n} of {@code w_emb_count<j>});</li>
 *   <li>then one more step whose output is the layer's anchor. From the second layer on, that step also decides the
 *       skip flags: for each earlier layer {@code k}, {@code q_k = v^T tanh(a_k W_1 + h W_2)} ({@code a_k} the anchor
 *       of layer {@code k}) and the flag's two logits are {@code [-q_k, q_k]}; the next input is the mean of the
 *       chosen anchors, {@code sum_k f_k a_k / (1 + sum_k f_k)}, and {@code g_emb} after the first layer.</li>
 * </ul>
 * Every logit is divided by the temperature (if set), then put through {@code c tanh(.)} (if {@code c > 0}); the
 * count's mask and an option mask ({@code allowed}) come after. The sample's log-probability is the sum of its
 * decisions' (each skip flag a decision); its entropy is summed as the reference sums it: per decision
 * {@code -p(a) log p(a)} of the option drawn, not the entropy of the whole softmax. The skip penalty of a layer is
 * {@code sum_k sum_{b in 0,1} s_kb log(s_kb / t_b)} with {@code s_k = sigmoid([-u_k, u_k])} ({@code u_k} the shaped
 * logit, a sigmoid of each logit as the reference takes it, not the softmax) and {@code t = [1 - skipTarget,
 * skipTarget]}; the sample's penalty is its mean over layers {@code 1 .. L-1} (0 for a single layer), weighted in
 * the loss by {@link MacroControllerSettings#skipWeight} ({@link #objective(int[], double, double, double, boolean)}).
 *
 * <p>Parameters, in order, all uniform in {@code [-initRange, initRange]} (the reference: 0.1): per layer
 * {@code lstm.w<l> [2H, 4H]}, {@code g_emb [1, H]}; with whole channels {@code w_emb [B, H]}, {@code w_soft [H, B]};
 * with channel ranges, per branch {@code w_emb_start<j> [C, H]}, {@code w_emb_count<j> [C - 1, H]}, then per branch
 * {@code w_soft_start<j> [H, C]}, {@code w_soft_count<j> [H, C - 1]}; then {@code w_attn_1 [H, H]},
 * {@code w_attn_2 [H, H]}, {@code v_attn [H, 1]}. At the reference's sizes ({@code H = 64}, one layer, {@code B = 6},
 * {@code C = 36}): {@code 2H * 4H + H + 2H^2 + H} = 41,088 common, plus {@code 2 B H} = 768 with whole channels
 * (41,856) or {@code B (2C + 2(C - 1)) H} = 54,528 with channel ranges (95,616); no count depends on the number of
 * layers.
 *
 * <p>Forward and backward (through time, through the attention and through the anchors fed back as inputs) run in
 * plain Java on a copy of the values, as {@link EnasMicroController}'s. Not thread-safe.
 */
public final class EnasMacroController implements Policy {
    private final MacroArc arc;
    private final int hidden;
    private final MacroControllerSettings settings;
    private final ParameterSet params;
    private final Parameter[] lstm;
    private final Parameter gEmb;
    /** Whole channels: {@code w_emb}, {@code w_soft} at [0]; channel ranges: per branch. */
    private final Parameter[] embStart;
    private final Parameter[] embCount;
    private final Parameter[] softStart;
    private final Parameter[] softCount;
    private final Parameter wAttn1;
    private final Parameter wAttn2;
    private final Parameter vAttn;
    private final boolean[][] allowed;
    private final int[] sizes;

    /**
     * A controller for the choice vector {@code choices} of an ENAS macro space, with {@code hidden} LSTM units,
     * initialised from {@code seed}; {@code allowed} masks options as {@link LstmController} does (null: none; with
     * channel ranges a start is allowed while one of its counts is).
     *
     * @throws IllegalArgumentException if {@code choices} are not an ENAS macro space's (naming the first that does
     *                                  not fit), a size is out of range, or the mask does not fit
     */
    public EnasMacroController(List<Choice> choices, int hidden, double initRange, MacroControllerSettings settings,
            long seed, boolean[][] allowed) {
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1, but was " + hidden);
        }
        this.arc = MacroArc.of(choices);
        this.hidden = hidden;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sizes = choices.stream().mapToInt(Choice::size).toArray();
        Policy.maskOffsets(sizes, allowed);     // validates the mask's shape and that every choice allows an option
        this.allowed = allowed;
        Initializer init = Initializer.uniform(initRange);
        this.params = new ParameterSet(DataType.DOUBLE, seed);
        this.lstm = new Parameter[settings.layers()];
        for (int l = 0; l < lstm.length; l++) {
            lstm[l] = params.add("lstm.w" + l, new long[] {2L * hidden, 4L * hidden}, init);
        }
        this.gEmb = params.add("g_emb", new long[] {1, hidden}, init);
        int heads = arc.wholeChannels() ? 1 : arc.branches();
        this.embStart = new Parameter[heads];
        this.embCount = new Parameter[heads];
        this.softStart = new Parameter[heads];
        this.softCount = new Parameter[heads];
        if (arc.wholeChannels()) {
            embStart[0] = params.add("w_emb", new long[] {arc.branches(), hidden}, init);
            softStart[0] = params.add("w_soft", new long[] {hidden, arc.branches()}, init);
        } else {
            int c = arc.channels();
            for (int j = 0; j < heads; j++) {
                embStart[j] = params.add("w_emb_start" + j, new long[] {c, hidden}, init);
                embCount[j] = params.add("w_emb_count" + j, new long[] {c - 1, hidden}, init);
            }
            for (int j = 0; j < heads; j++) {
                softStart[j] = params.add("w_soft_start" + j, new long[] {hidden, c}, init);
                softCount[j] = params.add("w_soft_count" + j, new long[] {hidden, c - 1}, init);
            }
        }
        this.wAttn1 = params.add("w_attn_1", new long[] {hidden, hidden}, init);
        this.wAttn2 = params.add("w_attn_2", new long[] {hidden, hidden}, init);
        this.vAttn = params.add("v_attn", new long[] {hidden, 1}, init);
        params.seal();
    }

    @Override
    public ParameterSet parameters() {
        return params;
    }

    /** Whether the space chooses whole branches ({@code search_whole_channels=True}) rather than channel ranges. */
    public boolean wholeChannels() {
        return arc.wholeChannels();
    }

    @Override
    public int[] sample(RandomGenerator rng) {
        int[] vector = new int[arc.size()];
        new MacroTape(this, HostArrays.read(params.values())).run(vector, rng, 0, 0, 0);
        return vector;
    }

    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, boolean gradient) {
        return objective(actions, logProbWeight, entropyWeight, 0, gradient);
    }

    /**
     * {@code logProbWeight * log p + entropyWeight * H + penaltyWeight * P} of the arc {@code actions}, with
     * {@code H} the reference's summed entropy and {@code P} its skip penalty (the class comment); with
     * {@code gradient}, its gradient is written to {@link #parameters()}' gradients.
     *
     * @throws IllegalArgumentException naming the entry of {@code actions} that is out of range
     */
    @Override
    public double objective(int[] actions, double logProbWeight, double entropyWeight, double penaltyWeight,
            boolean gradient) {
        if (actions.length != arc.size()) {
            throw new IllegalArgumentException("actions must have " + arc.size() + " entries, but had "
                    + actions.length);
        }
        for (int i = 0; i < actions.length; i++) {
            int size = sizes[i];
            if (actions[i] < 0 || actions[i] >= size) {
                throw new IllegalArgumentException("actions[" + i + "] must be in [0, " + (size - 1) + "], but was "
                        + actions[i]);
            }
        }
        MacroTape tape = new MacroTape(this, HostArrays.read(params.values()));
        double value = tape.run(actions.clone(), null, logProbWeight, entropyWeight, penaltyWeight);
        if (gradient) {
            HostArrays.write(tape.backward(), params.gradients());
            for (Parameter p : params.parameters()) {
                p.markGradient();
            }
        }
        return value;
    }

    // What the tape reads.

    MacroArc arc() {
        return arc;
    }

    int hidden() {
        return hidden;
    }

    MacroControllerSettings settings() {
        return settings;
    }

    boolean allowed(int choice, int option) {
        return allowed == null || allowed[choice][option];
    }

    int lstmOffset(int layer) {
        return (int) lstm[layer].offset();
    }

    int gEmbOffset() {
        return (int) gEmb.offset();
    }

    /** Whole channels: {@code w_emb}; channel ranges: {@code w_emb_start<branch>}. */
    int embStartOffset(int branch) {
        return (int) embStart[branch].offset();
    }

    int embCountOffset(int branch) {
        return (int) embCount[branch].offset();
    }

    /** Whole channels: {@code w_soft}; channel ranges: {@code w_soft_start<branch>}. */
    int softStartOffset(int branch) {
        return (int) softStart[branch].offset();
    }

    int softCountOffset(int branch) {
        return (int) softCount[branch].offset();
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
