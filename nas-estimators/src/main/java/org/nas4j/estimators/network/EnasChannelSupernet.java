package org.nas4j.estimators.network;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ChannelRange;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.EnasOps;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight-sharing supernet of ENAS' macro search child with {@code whole_channels=False}
 * ({@code EnasMacroSpace.builder().wholeChannels(false)}), as the reference's {@code _enas_layer} shares its weights
 * (melodyguan/enas, {@code general_child.py}): every branch holds the weights of the whole layer ({@code inp_conv_1},
 * {@code out_conv} and their BN at {@code out_filters} channels, the pools' {@code conv_1}), and {@code final_conv}
 * one {@code C x C} block per branch; a path's range {@code [start, start + count)} of a branch is the slice of those
 * weights that the branch's output channels use. Each branch computes its range alone on those slices, as the
 * reference does ({@link EnasRangeModules}): {@code inp_conv_1} on the whole layer, then the range's rows of
 * {@code out_conv} (or of a pool's {@code conv_1}) and of their BN, and {@code final_conv}'s block reads the range's
 * columns only, as the reference's boolean mask of its rows; the weights outside the range get a gradient of 0
 * ({@link EnasOps#RANGE_MASK} is the identity here). The skip flags are edges of a {@link ComposedSupernet} of
 * {@link EnasMacroSpace#wholeLayers}, under the policy given; the ranges are drawn uniformly from
 * {@link ChannelRange#sampled} at each forward pass (sampled, never learned), unless {@link #usePath} fixes them.
 * Not thread-safe.
 *
 * <p>Difference from the reference: a branch computes its range rounded up to a quarter of the layer ({@code
 * EnasRangeModules.computed}), so its batch norms update the running statistics of those channels, not only the
 * range's as the reference's {@code batch_norm_with_mask} (training-mode passes, those of ENAS' search child, do
 * not read them; no output reads the extra channels).
 *
 * <pre>{@code
 * EnasChannelSupernet supernet = EnasChannelSupernet.compile(EnasMacroSpace.channels(), PathPolicies.singlePath(7),
 *         ModuleCatalogue.standard(), DataType.FLOAT, 42);              // 792,036 weights, the reference's
 * supernet.usePath(architecture);                                      // its ranges and skips
 * INDArray logits = supernet.forward(images, Mode.TRAINING);
 * }</pre>
 */
public final class EnasChannelSupernet implements Supernet {
    private static final Pattern BRANCH_NAME = Pattern.compile("^layer(\\d+)_b(\\d+)\\.");
    private static final Pattern BLOCK_NAME = Pattern.compile("^layer(\\d+)(?:_conv)?\\.edge(\\d+)$");

    private final ComposedSpace space;
    private final ComposedSpace wholeLayers;
    private final ComposedSupernet skips;
    private final int layers;
    private final int branches;
    private final int channels;
    private final List<ChannelRange> options;
    private final ChannelRange[][] ranges;
    private final SplittableRandom rng;
    private boolean fixed;

    private EnasChannelSupernet(ComposedSpace space, ComposedSpace wholeLayers, PathPolicy.Factory policy,
            ModuleCatalogue modules, DataType dataType, long seed) {
        this.space = space;
        this.wholeLayers = wholeLayers;
        List<Choice> choices = space.choices();
        int values = (int) choices.stream().filter(c -> c.kind() == Choice.Kind.VALUE).count();
        int b = 0;
        while (b < values && choices.get(b).name().equals("layer0.range" + b)) {
            b++;
        }
        this.branches = b;
        this.layers = values / b;
        this.options = choices.get(0).options().stream().map(o -> ChannelRange.parse(choices.get(0).name(), o))
                .toList();
        this.channels = options.get(options.size() - 1).end();
        this.ranges = new ChannelRange[layers][branches];
        this.rng = new SplittableRandom(Seeds.derive(seed, "ranges"));
        draw();
        ModuleCatalogue ranged = modules.replacing(EnasOps.RANGE_MASK, (p, n, in, out, s) -> EnasRangeModules.mask())
                .replacing(EnasOps.RELU_CONV_1X1, (p, n, in, out, s) -> {
                    int[] at = position(BLOCK_NAME, n, EnasOps.RELU_CONV_1X1);
                    return EnasRangeModules.projection(p, n, in, out, () -> ranges[at[0]][at[1]]);
                });
        for (int j = 0; j < EnasOps.BRANCHES.size(); j++) {
            int branch = j;
            ranged = ranged.replacing(EnasOps.BRANCHES.get(j), (p, n, in, out, s) -> {
                EnasModules.requireStride1(n, s);
                int[] at = position(BRANCH_NAME, n, EnasOps.BRANCHES.get(branch));
                return EnasRangeModules.branch(p, n, in, out, branch, () -> ranges[at[0]][at[1]]);
            });
        }
        this.skips = ComposedSupernet.compile(wholeLayers, policy, ranged, dataType, seed);
    }

    /**
     * Compiles the supernet of {@code space}.
     *
     * @param space    a search child with {@code whole_channels=False}
     * @param policy   how the skip flags are drawn (a single path for ENAS; fixed, mixed, ...)
     * @param modules  the modules of the ops (those of the branches, of {@code final_conv}'s blocks and of
     *                 {@code enas_range_mask} are this class's own, {@link EnasRangeModules})
     * @param dataType the parameters' type (DOUBLE for gradient checks)
     * @param seed     seed of the initial weights and of the ranges drawn
     * @throws IllegalArgumentException naming the space if it is not such a search child, or if it has a single
     *                                  layer (no skip flag: its whole-layer space has no choice)
     */
    public static EnasChannelSupernet compile(ComposedSpace space, PathPolicy.Factory policy, ModuleCatalogue modules,
            DataType dataType, long seed) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(modules, "modules");
        return new EnasChannelSupernet(space, EnasMacroSpace.wholeLayers(space), policy, modules, dataType, seed);
    }

    /**
     * Whether {@code space} has channel-range choices (a value choice whose options are all {@code "start+count"}),
     * which {@link ComposedSupernet} refuses: such a space's supernet is this class's.
     */
    public static boolean holdsChannelRanges(ComposedSpace space) {
        return space.choices().stream().anyMatch(c -> c.kind() == Choice.Kind.VALUE
                && c.options().stream().allMatch(o -> o.matches("\\d+\\+\\d+")));
    }

    /**
     * Runs {@code architecture}'s ranges and skips from the next {@link #forward} on, until {@link #usePolicyPath}.
     *
     * @throws IllegalArgumentException for an architecture of another space
     */
    public void usePath(Architecture architecture) {
        if (!space.equals(architecture.space())) {
            throw new IllegalArgumentException("architecture must be of space '" + space.name() + "', but was of '"
                    + architecture.space().name() + "'");
        }
        int[] v = architecture.vector();
        for (int i = 0; i < layers; i++) {
            for (int j = 0; j < branches; j++) {
                ranges[i][j] = options.get(v[i * branches + j]);
            }
        }
        fixed = true;
        int[] flags = Arrays.copyOfRange(v, layers * branches, v.length);
        skips.usePath(skips.path(Architecture.of(wholeLayers, flags)));
    }

    /** Returns to drawing ranges and to the policy's skips, undoing {@link #usePath}. */
    public void usePolicyPath() {
        fixed = false;
        skips.usePolicyPath();
    }

    /** The range branch {@code branch} of layer {@code layer} runs on in the current pass. */
    public ChannelRange range(int layer, int branch) {
        return ranges[layer][branch];
    }

    @Override
    public INDArray forward(INDArray images, Mode mode) {
        if (!fixed) {
            draw();
        }
        return skips.forward(images, mode);
    }

    @Override
    public INDArray backward(INDArray gradLogits) {
        return skips.backward(gradLogits);
    }

    @Override
    public ParameterSet weights() {
        return skips.weights();
    }

    @Override
    public ParameterSet architectureParameters() {
        return skips.architectureParameters();
    }

    @Override
    public Map<String, double[]> states() {
        return skips.states();
    }

    @Override
    public PathPolicy policy() {
        return skips.policy();
    }

    @Override
    public ComposedSpace space() {
        return space;
    }

    /** Ranges are drawn, not learned, so there is nothing to derive: an exception. */
    @Override
    public Architecture derive() {
        throw new UnsupportedOperationException("the channel ranges of space '" + space.name() + "' are sampled,"
                + " not learned: there is no architecture to derive");
    }

    private void draw() {
        for (ChannelRange[] layer : ranges) {
            for (int j = 0; j < layer.length; j++) {
                layer[j] = options.get(rng.nextInt(options.size()));
            }
        }
    }

    /** The layer and branch in the name {@code name} of a module of {@code op}. */
    private static int[] position(Pattern pattern, String name, String op) {
        Matcher m = pattern.matcher(name);
        if (!m.find()) {
            throw new IllegalArgumentException("op " + op + " at '" + name + "' is not a branch layer<i>_b<j> or a"
                    + " block of final_conv (layer<i>_conv.edge<j>)");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
