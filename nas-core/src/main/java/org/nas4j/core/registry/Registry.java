package org.nas4j.core.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One table of named components: each name comes with a one-line description and a factory, so the list of names
 * and the lookup by name cannot drift apart. Immutable and thread-safe.
 *
 * <pre>{@code
 * static final Registry<StrategyFactory> STRATEGIES = Registry.<StrategyFactory>builder("strategy")
 *         .add("rs", "random search without duplicates", RandomSearch::create)
 *         .build();
 * STRATEGIES.names();          // [rs]
 * STRATEGIES.byName("rs");     // a new RandomSearch
 * }</pre>
 *
 * @param <T> what the factories make
 */
public final class Registry<T> {

    /**
     * One registered component.
     *
     * @param name        unique in its registry, not blank, without spaces or commas (it is used on command lines)
     * @param description one line saying what it is
     * @param factory     makes the component; called once per {@link #byName} lookup
     * @param <T>         what the factory makes
     */
    public record Entry<T>(String name, String description, Supplier<? extends T> factory) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(factory, "factory");
            if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
                throw new IllegalArgumentException("name must be non-blank without spaces or commas, but was '"
                        + name + "'");
            }
            if (description.isBlank() || description.contains("\n")) {
                throw new IllegalArgumentException("description of '" + name + "' must be one non-blank line, but was '"
                        + description + "'");
            }
        }
    }

    private final String kind;
    private final Map<String, Entry<T>> entries;

    private Registry(String kind, Map<String, Entry<T>> entries) {
        this.kind = kind;
        this.entries = entries;
    }

    /** A builder for a registry of {@code kind} (a singular noun used in messages, e.g. {@code "strategy"}). */
    public static <T> Builder<T> builder(String kind) {
        return new Builder<>(kind);
    }

    /** The registered names, in registration order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The entries, in registration order. */
    public List<Entry<T>> entries() {
        return List.copyOf(entries.values());
    }

    /** Whether {@code name} is registered. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The entry called {@code name}; an exception listing the known names if there is none. */
    public Entry<T> entry(String name) {
        if (name == null) {
            throw new IllegalArgumentException(kind + " name must not be null; known names: " + names());
        }
        Entry<T> e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; known names: " + names());
        }
        return e;
    }

    /** A new component called {@code name}; an exception listing the known names if there is none. */
    public T byName(String name) {
        return entry(name).factory().get();
    }

    /** Builds a {@link Registry}; names must be unique. */
    public static final class Builder<T> {
        private final String kind;
        private final Map<String, Entry<T>> entries = new LinkedHashMap<>();

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** Registers {@code factory} as {@code name}; an exception if the name is taken. */
        public Builder<T> add(String name, String description, Supplier<? extends T> factory) {
            Entry<T> e = new Entry<>(name, description, factory);
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException(kind + " name '" + name + "' is registered twice");
            }
            entries.put(name, e);
            return this;
        }

        /** The registry. */
        public Registry<T> build() {
            return new Registry<>(kind, new LinkedHashMap<>(entries));
        }
    }
}
