package org.nas4j.core.space.builder;

import static org.nas4j.core.config.Require.atLeast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The body of a repeated block (see {@link SpaceBuilder#repeat}): layers, op choices, value choices local to one
 * repetition, nested repeats and cells, in order. Definitions are checked when the space is built.
 *
 * <pre>{@code
 * builder.repeat("blocks", 2, 4, block -> block
 *         .value("k", "3", "5")                                    // one kernel size per block
 *         .choice("op", List.of("nor_conv_{k}x{k}", "sep_conv_{k}x{k}"), Width.value("width"), 1));
 * }</pre>
 */
public final class Chain {
    private final List<Part> parts = new ArrayList<>();
    private final List<ValueChoice> values = new ArrayList<>();
    private int cellCount;

    Chain() {
    }

    /** A value choice of this scope: of the whole space on the {@link SpaceBuilder}, of one repetition here. */
    public Chain value(String name, String... options) {
        values.add(new ValueChoice(name, Arrays.asList(options)));
        return this;
    }

    /** A value choice of integer options (channel counts, kernel sizes, expansion ratios). */
    public Chain value(String name, int... options) {
        values.add(new ValueChoice(name, Arrays.stream(options).mapToObj(Integer::toString).toList()));
        return this;
    }

    /** A fixed layer: op {@code op} to {@code width} channels at stride 1. */
    public Chain layer(String name, String op, Width width) {
        return layer(name, op, width, 1);
    }

    /** A fixed layer: op {@code op} to {@code width} channels with {@code stride}. */
    public Chain layer(String name, String op, Width width, int stride) {
        atLeast("stride", stride, 1);
        parts.add(new Part.Layer(name, List.of(Objects.requireNonNull(op, "op")), width, stride, false));
        return this;
    }

    /** An op choice keeping the input's channels at stride 1. */
    public Chain choice(String name, List<String> ops) {
        return choice(name, ops, Width.same(), 1);
    }

    /** An op choice among {@code ops} to {@code width} channels with {@code stride}. */
    public Chain choice(String name, List<String> ops, Width width, int stride) {
        atLeast("stride", stride, 1);
        parts.add(new Part.Layer(name, ops, width, stride, false));
        return this;
    }

    /** A block repeated between {@code min} and {@code max} times (a depth choice when they differ). */
    public Chain repeat(String name, int min, int max, Consumer<Chain> body) {
        Chain b = new Chain();
        body.accept(b);
        parts.add(new Part.Repeat(name, min, max, b.values, b.parts));
        return this;
    }

    /** A join of earlier parts' outputs ({@link Join}). */
    public Chain join(String name, Consumer<Join> definition) {
        Join j = new Join();
        definition.accept(j);
        parts.add(j.build(Objects.requireNonNull(name, "name")));
        return this;
    }

    /** A placement of {@code template} with {@code width} channels per node. */
    public Chain cell(CellTemplate template, Width width) {
        parts.add(new Part.Cell(Objects.requireNonNull(template, "template").name() + "#" + cellCount++, template,
                width));
        return this;
    }

    /** {@code count} placements of {@code template}, one after the other. */
    public Chain cells(CellTemplate template, int count, Width width) {
        if (count < 1) {
            throw new IllegalArgumentException("count of cells must be >= 1, but was " + count);
        }
        for (int i = 0; i < count; i++) {
            cell(template, width);
        }
        return this;
    }

    List<Part> parts() {
        return parts;
    }

    List<ValueChoice> values() {
        return values;
    }

    void add(Part part) {
        parts.add(part);
    }
}
