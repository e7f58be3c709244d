package org.nas4j.core.space.builder;

import java.util.Objects;
import java.util.function.Predicate;
import org.nas4j.core.space.Architecture;

/**
 * A validity rule of a {@link ComposedSpace}: architectures for which {@code rule} is false are not members of the
 * space (never sampled, mutated to or listed as neighbours). The description goes into the space's identity.
 *
 * @param description what the rule demands, e.g. {@code "at most two pooling blocks"}
 * @param rule        true for valid architectures
 */
public record SpaceConstraint(String description, Predicate<Architecture> rule) {
    public SpaceConstraint {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rule, "rule");
    }
}
