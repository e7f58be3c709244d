package org.nas4j.core.space.builder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.core.space.OpSpec;

/**
 * The ops a {@link SpaceBuilder} may name: each entry is an {@link OpSpec} (name, shape rule, parameter and
 * multiply-add formulas) with a {@link Kind} that says how the op treats its input (for the canonical key and the
 * channel checks). Immutable and thread-safe; {@link #with} gives an extended copy.
 *
 * <pre>{@code
 * OpCatalogue ops = OpCatalogue.standard()
 *         .with(OpSpecs.reluConvBn("nor_conv_7x7", 7, true), OpCatalogue.Kind.CHANNEL_MAPPING);
 * ops.spec("sep_conv_3x3").parameters(16, 16, 1);
 * }</pre>
 */
public final class OpCatalogue {

    /** How an op relates its input to its output. */
    public enum Kind {
        /** Outputs zeros ({@code none}): its edge contributes nothing; keeps the channel count. */
        ZERO,
        /** Passes its input through at stride 1 ({@code skip_connect}); keeps the channel count. */
        IDENTITY,
        /** Computes without changing the channel count (pooling). */
        CHANNEL_PRESERVING,
        /** May map any input channel count to any output channel count (convolutions, heads). */
        CHANNEL_MAPPING;

        /** Whether the op's output has its input's channel count. */
        public boolean keepsChannels() {
            return this != CHANNEL_MAPPING;
        }
    }

    /**
     * One op of the catalogue.
     *
     * @param spec its name and cost formulas
     * @param kind how it treats its input
     */
    public record Entry(OpSpec spec, Kind kind) {
        public Entry {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(kind, "kind");
        }

        /** The op's name. */
        public String name() {
            return spec.name();
        }
    }

    /**
     * The ops that bring the two inputs of a two-input cell to the cell's channels: {@code sameSize} for the first
     * input when both inputs have one spatial size, {@code reducing} for the first input when it is larger (after a
     * reduction), {@code second} for the second input. The planner calls them at stride 1; {@code reducing} must
     * halve the size by itself. {@code unusedInput} halves, at stride 2, an unused input of a reduction cell whose
     * output is {@link CellOutput#CONCAT_UNUSED_STATES}.
     *
     * @param sameSize    the op for the first input of the cell's size, by default {@code relu_conv_bn_1x1}
     * @param reducing    the op for a larger first input, by default {@code factorized_reduce}
     * @param second      the op for the second input, by default {@code sameSize}
     * @param unusedInput the op for an unused input of a reduction cell, by default {@code factorized_reduce}
     */
    public record CellInputs(String sameSize, String reducing, String second, String unusedInput) {
        /** DARTS' preprocessing: {@code relu_conv_bn_1x1} and {@code factorized_reduce}. */
        public static final CellInputs DARTS = new CellInputs("relu_conv_bn_1x1", "factorized_reduce");

        public CellInputs {
            Objects.requireNonNull(sameSize, "sameSize");
            Objects.requireNonNull(reducing, "reducing");
            Objects.requireNonNull(second, "second");
            Objects.requireNonNull(unusedInput, "unusedInput");
        }

        /** {@code sameSize} on both inputs of one size, {@code reducing} on a larger first input. */
        public CellInputs(String sameSize, String reducing) {
            this(sameSize, reducing, sameSize, reducing);
        }

        /** The four ops, in the order of the components. */
        public List<String> ops() {
            return List.of(sameSize, reducing, second, unusedInput);
        }
    }

    private final Map<String, Entry> entries;
    private final CellInputs cellInputs;

    private OpCatalogue(Map<String, Entry> entries, CellInputs cellInputs) {
        this.entries = entries;
        this.cellInputs = cellInputs;
    }

    /** A catalogue without ops (its cell inputs are {@link CellInputs#DARTS}'s, to be added). */
    public static OpCatalogue empty() {
        return new OpCatalogue(Map.of(), CellInputs.DARTS);
    }

    /**
     * The ops of the built-in spaces and of common skeletons: the NAS-Bench-201 ops, the DARTS / NASNet cell ops,
     * the cell preprocessing, stems, the NAS-Bench-201 residual reduction block and classifier heads
     * ({@link StandardOps} lists them).
     */
    public static OpCatalogue standard() {
        return StandardOps.CATALOGUE;
    }

    /** This catalogue and {@code spec} as a {@link Kind#CHANNEL_MAPPING} op. */
    public OpCatalogue with(OpSpec spec) {
        return with(spec, Kind.CHANNEL_MAPPING);
    }

    /** This catalogue and {@code spec} of {@code kind}; an exception if an op of that name is already in it. */
    public OpCatalogue with(OpSpec spec, Kind kind) {
        Entry entry = new Entry(spec, kind);
        if (entries.containsKey(entry.name())) {
            throw new IllegalArgumentException("op '" + entry.name() + "' is already in the catalogue; pick another"
                    + " name for your op");
        }
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        copy.put(entry.name(), entry);
        return new OpCatalogue(java.util.Collections.unmodifiableMap(copy), cellInputs);
    }

    /**
     * This catalogue with other preprocessing of two-input cells (a space of 1-D signals reduces along time only).
     * The ops are checked against the catalogue when a space with such cells is built.
     *
     * @param sameSize the op for an input of the cell's size (default {@code relu_conv_bn_1x1})
     * @param reducing the op for a larger first input, which halves it at stride 1 (default
     *                 {@code factorized_reduce})
     */
    public OpCatalogue withCellInputs(String sameSize, String reducing) {
        return new OpCatalogue(entries, new CellInputs(sameSize, reducing));
    }

    /** This catalogue with the preprocessing of two-input cells {@code inputs} (ENAS' micro cells). */
    public OpCatalogue withCellInputs(CellInputs inputs) {
        return new OpCatalogue(entries, Objects.requireNonNull(inputs, "inputs"));
    }

    /** The preprocessing ops of two-input cells. */
    public CellInputs cellInputs() {
        return cellInputs;
    }

    /** Whether an op named {@code name} is in the catalogue. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The entry of op {@code name}; an exception listing the known ops if there is none. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown op '" + name + "'; known ops: " + names());
        }
        return e;
    }

    /** The specification of op {@code name}; an exception listing the known ops if there is none. */
    public OpSpec spec(String name) {
        return entry(name).spec();
    }

    /** The op names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public String toString() {
        return "OpCatalogue" + names();
    }
}
