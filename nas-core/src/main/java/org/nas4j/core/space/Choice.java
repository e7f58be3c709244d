package org.nas4j.core.space;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One decision of a search space: a name and the finite list of options it can take. A space is a list of
 * choices; an {@link Architecture} picks one option index for each. Immutable and thread-safe.
 *
 * <pre>{@code
 * Choice edge = Choice.of("edge 1<-0", Kind.OPERATION, List.of("none", "skip_connect", "nor_conv_3x3"));
 * }</pre>
 *
 * @param name    unique within its space
 * @param kind    what the choice decides (an op, an input, a value)
 * @param options the options, at least one, no duplicates
 */
public record Choice(String name, Kind kind, List<String> options) {

    /** What a choice decides, in the graph model of a space. */
    public enum Kind {
        /** The operation on an edge or a node. */
        OPERATION,
        /** Which earlier node feeds a node (or whether an edge exists). */
        INPUT,
        /** A numeric or categorical hyper-parameter (width, kernel size, depth). */
        VALUE
    }

    public Choice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(options, "options");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
        }
        if (options.isEmpty()) {
            throw new IllegalArgumentException("options of choice '" + name + "' must not be empty");
        }
        if (new HashSet<>(options).size() != options.size()) {
            throw new IllegalArgumentException("options of choice '" + name + "' must be distinct, but were " + options);
        }
        options = List.copyOf(options);
    }

    /** A choice with the given options. */
    public static Choice of(String name, Kind kind, List<String> options) {
        return new Choice(name, kind, options);
    }

    /** The number of options. */
    public int size() {
        return options.size();
    }

    /** The option at {@code index}. */
    public String option(int index) {
        if (index < 0 || index >= options.size()) {
            throw new IllegalArgumentException(
                    "option index of choice '" + name + "' must be in [0, " + options.size() + "), but was " + index);
        }
        return options.get(index);
    }

    /** The index of {@code option}; an exception naming the choice and the known options if it is not one. */
    public int indexOf(String option) {
        int i = options.indexOf(option);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "unknown option '" + option + "' for choice '" + name + "'; known options: " + options);
        }
        return i;
    }
}
