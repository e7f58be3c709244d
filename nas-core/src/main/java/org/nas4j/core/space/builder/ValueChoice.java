package org.nas4j.core.space.builder;

import java.util.List;
import java.util.Objects;

/**
 * A value chosen once and read by name wherever it is in scope: in a {@link Width} ({@code Width.value("width")})
 * or inside an op name ({@code "nor_conv_{k}x{k}"} with a value {@code k} of options {@code "3", "5"}), so that one
 * decision governs several layers. Declared on the space, it is one choice for the whole network; declared in a
 * repeated block, it is one choice per repetition. Immutable.
 *
 * @param name    its name, unique in its scope
 * @param options its options (checked at {@code build()}: at least one, distinct)
 */
public record ValueChoice(String name, List<String> options) {
    public ValueChoice {
        Objects.requireNonNull(name, "name");
        options = List.copyOf(options);
    }

    @Override
    public String toString() {
        return name + " in " + options;
    }
}
