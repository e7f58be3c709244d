package org.nas4j.core.space.builder;

import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;
import org.nas4j.core.space.Shape;

/**
 * Cost formulas of the ops of ENAS' micro space as the reference's fixed-arc child builds them (melodyguan/enas,
 * {@code src/cifar10/micro_child.py}: {@code _fixed_layer}, {@code _fixed_conv}, {@code _maybe_calibrate_size},
 * {@code _fixed_combine}, the end of {@code _model}; every convolution without bias, every BN with offset and scale).
 * Every state of a micro cell has the cell's width {@code C} once its inputs are calibrated, so the pooling ops
 * never need the reference's channel-fixing 1x1 convolution and are the catalogue's {@code avg_pool_3x3} and
 * {@code max_pool_3x3}. See {@code docs/spaces/enas.md}.
 *
 * <table>
 *   <caption>ENAS micro ops</caption>
 *   <tr><th>name</th><th>reference</th><th>computation</th></tr>
 *   <tr><td>enas_micro_sep_conv_3x3, enas_micro_sep_conv_5x5</td><td>op ids 0 and 1, {@code _fixed_conv} with
 *       {@code stack_convs=2}</td><td>(ReLU, depthwise k x k with multiplier 1, pointwise to {@code out}, BN) twice;
 *       the first depthwise has the stride</td></tr>
 *   <tr><td>enas_micro_search_sep_conv_3x3, enas_micro_search_sep_conv_5x5</td><td>the search child's op ids 0
 *       and 1, {@code _enas_conv} with {@code stack_conv=2}</td><td>(ReLU, depthwise k x k, pointwise to
 *       {@code out}, BN with epsilon 1e-5) twice, stride 1 only</td></tr>
 *   <tr><td>enas_identity</td><td>op id 4</td><td>the input at stride 1; {@code _factorized_reduction} (no ReLU) at
 *       stride 2</td></tr>
 *   <tr><td>enas_calibrate</td><td>{@code _maybe_calibrate_size}, first input of one size</td><td>the input when it
 *       has {@code out} channels, else ReLU, 1x1 conv, BN ({@code pool_x})</td></tr>
 *   <tr><td>enas_calibrate_reduce</td><td>the same, first input larger</td><td>ReLU, then
 *       {@code _factorized_reduction}; halves the size at stride 1</td></tr>
 *   <tr><td>enas_calibrate_base</td><td>second input: {@code pool_y} then {@code layer_base}</td><td>ReLU, 1x1 conv,
 *       BN when the input's channels differ from {@code out}; then always ReLU, 1x1 conv {@code out -> out},
 *       BN</td></tr>
 *   <tr><td>enas_micro_head_keep1.0, 0.9, 0.8</td><td>{@code _model}'s end</td><td>ReLU, global average pooling,
 *       dropout keeping 1.0 ({@code MicroChild}'s default), 0.9 (the search script) or 0.8 (the final script),
 *       linear without bias</td></tr>
 * </table>
 */
public final class EnasMicroOps {

    /**
     * The five ops by the reference's op id (0: sep conv 3x3, 1: sep conv 5x5, 2: avg pool, 3: max pool, 4:
     * identity).
     */
    public static final List<String> OPS = List.of("enas_micro_sep_conv_3x3", "enas_micro_sep_conv_5x5",
            "avg_pool_3x3", "max_pool_3x3", "enas_identity");
    /**
     * The preprocessing of a micro cell's inputs (first, larger first, second); an unused input of a reduction cell
     * goes through {@code _factorized_reduction}.
     */
    public static final OpCatalogue.CellInputs CELL_INPUTS = new OpCatalogue.CellInputs("enas_calibrate",
            "enas_calibrate_reduce", "enas_calibrate_base", EnasOps.FACTORIZED_REDUCE);
    /**
     * The five ops of the search child by op id ({@code _enas_cell}'s list): the separable convolutions as
     * {@code _enas_conv} builds them (stride 1, BN with epsilon 1e-5: {@code tf.nn.fused_batch_norm}), the pools and
     * the identity as in {@link #OPS} at stride 1.
     */
    public static final List<String> SEARCH_OPS = List.of("enas_micro_search_sep_conv_3x3",
            "enas_micro_search_sep_conv_5x5", "avg_pool_3x3", "max_pool_3x3", "enas_identity");
    /**
     * The preprocessing of a search-child cell's inputs: {@code _maybe_calibrate_size} alone ({@code pool_x} or a
     * ReLU-factorized reduction of a larger first input, {@code pool_y} for the second; no {@code layer_base}).
     * Search cells do not reduce, so the unused-input op never runs.
     */
    public static final OpCatalogue.CellInputs SEARCH_CELL_INPUTS = new OpCatalogue.CellInputs("enas_calibrate",
            "enas_calibrate_reduce", "enas_calibrate", EnasOps.FACTORIZED_REDUCE);
    /** The keep probabilities of the heads: MicroChild's default, the search script's, the final script's. */
    public static final List<String> KEEP_PROBABILITIES = List.of("1.0", "0.9", "0.8");

    private EnasMicroOps() {
    }

    /** This catalogue with every ENAS micro op added, search child's included (it must hold the macro ops already). */
    static OpCatalogue addTo(OpCatalogue catalogue) {
        OpCatalogue c = catalogue.with(sepConv("enas_micro_sep_conv_3x3", 3))
                .with(sepConv("enas_micro_sep_conv_5x5", 5))
                .with(searchSepConv("enas_micro_search_sep_conv_3x3", 3))
                .with(searchSepConv("enas_micro_search_sep_conv_5x5", 5))
                .with(identity("enas_identity"), OpCatalogue.Kind.IDENTITY)
                .with(calibrate("enas_calibrate", false)).with(calibrate("enas_calibrate_base", true))
                .with(calibrateReduce("enas_calibrate_reduce"));
        for (String keep : KEEP_PROBABILITIES) {
            c = c.with(EnasOps.headSpec(head(keep))); // the same counts as the macro head (the ReLU has none)
        }
        return c;
    }

    /** The name of the head keeping activations with probability {@code keep}, one of {@link #KEEP_PROBABILITIES}. */
    public static String head(String keep) {
        if (!KEEP_PROBABILITIES.contains(keep)) {
            throw new IllegalArgumentException("keep probability of an ENAS micro head must be one of "
                    + KEEP_PROBABILITIES + ", but was '" + keep + "'");
        }
        return "enas_micro_head_keep" + keep;
    }

    private static Shape strided(String name, Shape input, int out, int stride) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException(name + " runs at stride 1 or 2, but was asked for " + stride);
        }
        if (stride == 2 && (input.height() % 2 != 0 || input.width() % 2 != 0)) {
            throw new IllegalArgumentException(name + " at stride 2 needs an even height and width, but the input was "
                    + input);
        }
        return new Shape(out, input.height() / stride, input.width() / stride);
    }

    private static OpSpec sepConv(String name, int k) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                return strided(name, input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return (long) k * k * in + (long) in * out + OpSpecs.bn(out, true)
                        + (long) k * k * out + (long) out * out + OpSpecs.bn(out, true);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                Shape o = output(input, out, stride);
                long hw = (long) o.height() * o.width();
                return hw * ((long) k * k * input.channels() + (long) input.channels() * out + (long) k * k * out
                        + (long) out * out);
            }
        };
    }

    /** {@code _enas_conv}: the shapes and counts of {@link #sepConv} at stride 1, the only stride it has. */
    private static OpSpec searchSepConv(String name, int k) {
        OpSpec same = sepConv(name, k);
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 1) {
                    throw new IllegalArgumentException(name + " runs at stride 1 (the search child reduces before its"
                            + " cells), but was asked for " + stride);
                }
                return same.output(input, out, stride);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return same.parameters(in, out, stride);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return same.multiplyAdds(input, out, stride);
            }
        };
    }

    private static OpSpec identity(String name) {
        OpSpec reduce = EnasOps.factorizedReduce(name);
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride == 2) {
                    return reduce.output(input, out, stride);
                }
                if (stride != 1 || out != input.channels()) {
                    throw new IllegalArgumentException(name + " keeps its input at stride 1, but was asked for " + out
                            + " channels at stride " + stride + " from " + input);
                }
                return input;
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return stride == 2 ? reduce.parameters(in, out, stride) : 0;
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return stride == 2 ? reduce.multiplyAdds(input, out, stride) : 0;
            }
        };
    }

    /** {@code pool_x} ({@code base} false) or {@code pool_y} then {@code layer_base} ({@code base} true). */
    private static OpSpec calibrate(String name, boolean base) {
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 1) {
                    throw new IllegalArgumentException(name + " runs at stride 1, but was asked for " + stride);
                }
                return new Shape(out, input.height(), input.width());
            }

            @Override
            public long parameters(int in, int out, int stride) {
                long fix = in == out ? 0 : (long) in * out + OpSpecs.bn(out, true);
                return fix + (base ? (long) out * out + OpSpecs.bn(out, true) : 0);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                long hw = (long) input.height() * input.width();
                long fix = input.channels() == out ? 0 : hw * input.channels() * out;
                return fix + (base ? hw * out * out : 0);
            }
        };
    }

    private static OpSpec calibrateReduce(String name) {
        OpSpec reduce = EnasOps.factorizedReduce(name);
        return new NamedOpSpec(name) {
            @Override
            public Shape output(Shape input, int out, int stride) {
                if (stride != 1) {
                    throw new IllegalArgumentException(name + " halves its input by itself and runs at stride 1, but"
                            + " was asked for " + stride);
                }
                return reduce.output(input, out, 2);
            }

            @Override
            public long parameters(int in, int out, int stride) {
                return reduce.parameters(in, out, 2);
            }

            @Override
            public long multiplyAdds(Shape input, int out, int stride) {
                return reduce.multiplyAdds(input, out, 2);
            }
        };
    }
}
