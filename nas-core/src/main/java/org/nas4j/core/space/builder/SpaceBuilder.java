package org.nas4j.core.space.builder;

import static org.nas4j.core.config.Require.atLeast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;

/**
 * Describes a search space of your own as a chain of parts from the input to the classifier, and builds it into
 * a {@link ComposedSpace}. Parts, in order: fixed layers ({@link #layer}), op choices ({@link #choice}), repeated
 * blocks with a depth choice ({@link #repeat}), cells from a {@link CellTemplate} ({@link #cell}); last the head
 * ({@link #head}). Value choices ({@link #value}) are shared by name: every width ({@link Width#value}) and op name
 * ({@code "nor_conv_{k}x{k}"}) that reads one follows the same decision. Constraints restrict the members.
 *
 * <p>Settings are recorded as given; {@link #build()} checks the whole definition and throws a
 * {@link SpaceDefinitionException} naming the {@link DefinitionError} (an unknown op, an empty choice, a cycle in a
 * cell, a repeat with {@code max < min}, shapes that cannot meet, ...). Not thread-safe; the space it builds is.
 *
 * <pre>{@code
 * ComposedSpace space = SpaceBuilder.create("fashion-blocks")
 *         .input(1, 28, 28).classes(10)
 *         .layer("stem", "conv_bn_3x3", Width.of(16))
 *         .repeat("blocks", 2, 4, block -> block
 *                 .value("k", 3, 5)
 *                 .value("width", 16, 32)
 *                 .choice("op", List.of("nor_conv_{k}x{k}", "sep_conv_{k}x{k}"), Width.value("width"), 1))
 *         .head("bn_relu_pool_linear")
 *         .maxParameters(100_000)
 *         .build();
 * }</pre>
 */
public final class SpaceBuilder {
    private final String name;
    private final Chain chain = new Chain();
    private OpCatalogue catalogue = OpCatalogue.standard();
    private Shape input;
    private int classes = 10;
    private String head;
    private Long maxParameters;
    private Long maxMultiplyAdds;
    private boolean batchStatisticsInInference;
    private boolean dropoutInInference;
    private final List<SpaceConstraint> constraints = new ArrayList<>();

    private SpaceBuilder(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name of a space must not be blank, but was '" + name + "'");
        }
        this.name = name;
    }

    /** A builder of the space named {@code name}. */
    public static SpaceBuilder create(String name) {
        return new SpaceBuilder(name);
    }

    /** The ops the space may name. Default {@link OpCatalogue#standard()}. */
    public SpaceBuilder catalogue(OpCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        return this;
    }

    /** The shape of one input sample. Required. */
    public SpaceBuilder input(int channels, int height, int width) {
        this.input = new Shape(channels, height, width);
        return this;
    }

    /** The number of classes the head outputs, >= 2. Default 10. */
    public SpaceBuilder classes(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, but was " + classes);
        }
        this.classes = classes;
        return this;
    }

    /** A value choice of the whole space, read by name anywhere (one decision for every reader). */
    public SpaceBuilder value(String valueName, String... options) {
        chain.value(valueName, options);
        return this;
    }

    /** A value choice of integer options of the whole space. */
    public SpaceBuilder value(String valueName, int... options) {
        chain.value(valueName, options);
        return this;
    }

    /** A fixed layer at stride 1. */
    public SpaceBuilder layer(String partName, String op, Width width) {
        chain.layer(partName, op, width);
        return this;
    }

    /** A fixed layer with {@code stride} (>= 1). */
    public SpaceBuilder layer(String partName, String op, Width width, int stride) {
        chain.layer(partName, op, width, atLeast("stride", stride, 1));
        return this;
    }

    /** An op choice that keeps the input's channels, at stride 1. */
    public SpaceBuilder choice(String partName, List<String> ops) {
        chain.choice(partName, ops);
        return this;
    }

    /** An op choice to {@code width} channels with {@code stride} (>= 1). */
    public SpaceBuilder choice(String partName, List<String> ops, Width width, int stride) {
        chain.choice(partName, ops, width, atLeast("stride", stride, 1));
        return this;
    }

    /** A block repeated between {@code min} and {@code max} times; {@code body} defines one repetition. */
    public SpaceBuilder repeat(String partName, int min, int max, Consumer<Chain> body) {
        chain.repeat(partName, min, max, body);
        return this;
    }

    /**
     * A join: one op (fixed or chosen) on the output of each of several earlier parts, summed, then an op
     * ({@link Join}); e.g. a layer with optional skip connections from any earlier layer (ENAS' macro space).
     */
    public SpaceBuilder join(String partName, Consumer<Join> definition) {
        chain.join(partName, definition);
        return this;
    }

    /** A placement of {@code template} with {@code width} channels per node. */
    public SpaceBuilder cell(CellTemplate template, Width width) {
        chain.cell(template, width);
        return this;
    }

    /** {@code count} placements of {@code template}. */
    public SpaceBuilder cells(CellTemplate template, int count, Width width) {
        chain.cells(template, count, width);
        return this;
    }

    /**
     * An auxiliary head here: an op from the output of the part before it to the class logits, trained with a
     * weighted loss and dropped at inference (DARTS' {@code darts_auxiliary_head}). Its parameters count in
     * {@link NetworkPlan#parameters()}, not its multiply-adds. At most one.
     */
    public SpaceBuilder auxiliaryHead(String op) {
        chain.add(new Part.Auxiliary("auxiliary", Objects.requireNonNull(op, "op"), 0));
        return this;
    }

    /** The classifier head: an op mapping the last step to the class logits. Required. */
    public SpaceBuilder head(String op) {
        this.head = Objects.requireNonNull(op, "op");
        return this;
    }

    /** Members have at most {@code limit} (>= 1) parameters, counted from the catalogue's formulas. */
    public SpaceBuilder maxParameters(long limit) {
        this.maxParameters = positiveLimit("maxParameters", limit);
        return this;
    }

    /** Members have at most {@code limit} (>= 1) multiply-adds per sample. */
    public SpaceBuilder maxMultiplyAdds(long limit) {
        this.maxMultiplyAdds = positiveLimit("maxMultiplyAdds", limit);
        return this;
    }

    /** Members satisfy {@code rule}, described by {@code description}. */
    public SpaceBuilder constraint(String description, Predicate<Architecture> rule) {
        constraints.add(new SpaceConstraint(description, rule));
        return this;
    }

    /**
     * Whether every batch norm of the space's networks normalizes with the batch's statistics in inference too, and
     * keeps no use for running statistics there: ENAS' micro search child, whose reference builds every pass with
     * {@code is_training=True}. The networks compiled from the space (stand-alone and supernet) then give the same
     * output in inference as in training without dropout. Default false (running statistics in inference).
     */
    public SpaceBuilder batchStatisticsInInference(boolean yes) {
        this.batchStatisticsInInference = yes;
        return this;
    }

    /**
     * Whether every dropout layer of the space's networks also drops in inference, with masks from a seeded generator
     * of the layer's own: ENAS' micro search child, whose reference builds every pass (validation, test, the
     * controller's rewards) with {@code is_training=True}, so its head's dropout is on in all of them. Inference
     * output is then random (reproducible for a seed). Default false (dropout is the identity in inference).
     */
    public SpaceBuilder dropoutInInference(boolean yes) {
        this.dropoutInInference = yes;
        return this;
    }

    /** Checks the definition and builds the space; a {@link SpaceDefinitionException} names the first error. */
    public ComposedSpace build() {
        if (input == null) {
            throw new SpaceDefinitionException(DefinitionError.MISSING_PART, "space '" + name
                    + "' needs an input shape: call input(channels, height, width)");
        }
        if (head == null) {
            throw new SpaceDefinitionException(DefinitionError.MISSING_PART, "space '" + name
                    + "' needs a head: call head(op), e.g. head(\"bn_relu_pool_linear\")");
        }
        List<Part> parts = new ArrayList<>();
        for (Part p : chain.parts()) {
            parts.add(p instanceof Part.Auxiliary a ? new Part.Auxiliary(a.name(), a.op(), classes) : p);
        }
        parts.add(new Part.Layer("head", List.of(head), Width.of(classes), 1, true));
        Definition d = new Definition(name, catalogue, input, classes, chain.values(), parts, maxParameters,
                maxMultiplyAdds, constraints, batchStatisticsInInference, dropoutInInference);
        return ComposedSpace.of(d);
    }

    private static long positiveLimit(String name, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, but was " + limit);
        }
        return limit;
    }

    /** Everything the builder recorded. */
    record Definition(String name, OpCatalogue catalogue, Shape input, int classes, List<ValueChoice> values,
                      List<Part> parts, Long maxParameters, Long maxMultiplyAdds, List<SpaceConstraint> constraints,
                      boolean batchStatisticsInInference, boolean dropoutInInference) {
        Definition {
            values = List.copyOf(values);
            parts = List.copyOf(parts);
            constraints = List.copyOf(constraints);
        }
    }
}
