package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Defines a join part ({@link SpaceBuilder#join}): a step that reads the outputs of several earlier parts (not only
 * the one just before it), applies one op to each, sums them and applies a final op. An input whose op choice
 * includes {@code none} is optional, so a set of such inputs chooses any subset of earlier layers, as the skip
 * connections of ENAS' macro space do ({@code docs/spaces/enas.md}). In the plan a join is a
 * {@link NetworkPlan.CellStep} with one input node per input (its {@code sources}), so compilers and supernets run
 * it as a small cell; its op choices are ordinary {@code OPERATION} choices named {@code <join>.<label>}.
 *
 * <pre>{@code
 * builder.join("layer2", join -> join
 *         .input("op", "layer1", EnasOps.BRANCHES)                   // the layer's op on the layer before it
 *         .input("skip0", "stem", "none", "skip_connect")           // an optional skip connection
 *         .then("batch_norm"));                                     // BN after the sum
 * }</pre>
 */
public final class Join {
    private final List<Part.Join.Input> inputs = new ArrayList<>();
    private String op = "identity";
    private Width width = Width.same();
    private int stride = 1;

    Join() {
    }

    /** An input: the output of earlier part {@code from} (or {@code "input"}) through one of {@code ops}. */
    public Join input(String label, String from, String... ops) {
        return input(label, from, Arrays.asList(ops));
    }

    /** An input: the output of earlier part {@code from} (or {@code "input"}) through one of {@code ops}. */
    public Join input(String label, String from, List<String> ops) {
        inputs.add(new Part.Join.Input(Objects.requireNonNull(label, "label"), Objects.requireNonNull(from, "from"),
                Objects.requireNonNull(ops, "ops")));
        return this;
    }

    /** The op applied to the sum (it must keep the shape, e.g. {@code batch_norm}). Default none. */
    public Join then(String op) {
        this.op = Objects.requireNonNull(op, "op");
        return this;
    }

    /** The channels of every input op's output. Default {@link Width#same()}: those of the first input. */
    public Join width(Width width) {
        this.width = Objects.requireNonNull(width, "width");
        return this;
    }

    /** The stride of every input op, 1 or 2. Default 1. */
    public Join stride(int stride) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride of a join must be 1 or 2, but was " + stride);
        }
        this.stride = stride;
        return this;
    }

    Part.Join build(String name) {
        return new Part.Join(name, inputs, op, width, stride);
    }
}
