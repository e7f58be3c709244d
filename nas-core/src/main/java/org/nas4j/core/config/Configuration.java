package org.nas4j.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a configurable part (space, strategy, estimator, network factory, dataset, ...) as a name and
 * ordered fields, each a text value or a nested configuration. Its canonical text, {@link #toString()}, is
 * {@code name(key=value, key=nested(...), ...)}: stable (fields in the order they were added; numbers as Java
 * prints them, locale-independent) and parseable back ({@link #parse}). A value holding any of {@code ( ) , = "}
 * or spaces is written in double quotes. Two configurations whose settings differ anywhere have different texts,
 * and {@link #differences} names the fields that differ, by dotted path. Immutable and thread-safe.
 *
 * <pre>{@code
 * Configuration c = Configuration.of("darts").with("channels", 16).with("layers", 8)
 *         .with("space", Configuration.of("cells").with("nodes", 4));
 * c.toString();                        // darts(channels=16, layers=8, space=cells(nodes=4))
 * Configuration.parse(c.toString());   // equal to c
 * }</pre>
 */
public final class Configuration {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.+-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern PLAIN = Pattern.compile("[^(),=\"\\s\\\\]+");

    private final String name;
    private final Map<String, Object> fields;

    private Configuration(String name, Map<String, Object> fields) {
        this.name = name;
        this.fields = fields;
    }

    /**
     * A configuration without fields.
     *
     * @param name letters, digits and {@code _ . + -}, starting with a letter (e.g. {@code "nas-bench-201"})
     * @return the configuration {@code name()}
     */
    public static Configuration of(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be a letter followed by letters, digits or _.+-, but was '"
                    + name + "'");
        }
        return new Configuration(name, Map.of());
    }

    /**
     * A copy with one more field, after the existing ones.
     *
     * @param key   letters, digits, {@code _} and {@code -}, starting with a letter; not already present
     * @param value a nested {@link Configuration}, or any value rendered by {@link String#valueOf} (an enum by its
     *              name, a double as {@link Double#toString} writes it); not null
     * @return the extended configuration
     */
    public Configuration with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must be a letter followed by letters, digits, _ or -, but was '"
                    + key + "' (in " + name + ")");
        }
        if (value == null) {
            throw new IllegalArgumentException("value of " + name + "." + key + " must not be null");
        }
        if (fields.containsKey(key)) {
            throw new IllegalArgumentException("key must be unique, but " + name + "." + key + " was given twice");
        }
        Map<String, Object> m = new LinkedHashMap<>(fields);
        m.put(key, value instanceof Configuration c ? c : value instanceof Enum<?> e ? e.name() : String.valueOf(value));
        return new Configuration(name, Collections.unmodifiableMap(m));
    }

    /** The name, e.g. {@code "darts"}. */
    public String name() {
        return name;
    }

    /** The fields in order; each value is a {@code String} or a nested {@code Configuration}. */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * Parses a canonical text back.
     *
     * @param text the output of {@link #toString()}
     * @return the configuration
     * @throws IllegalArgumentException naming the position when {@code text} is not a configuration
     */
    public static Configuration parse(String text) {
        return new ConfigurationParser(Objects.requireNonNull(text, "text")).parse();
    }

    /**
     * A field value for a part described only by its text (e.g. a user's {@code toString()}): the configuration
     * the text is, so that differences inside it are named, or else the text itself.
     *
     * @param text a configuration's text, or any other text
     * @return a {@code Configuration} or {@code text}
     */
    public static Object valueOf(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException notAConfiguration) {
            return text;
        }
    }

    /**
     * The fields in which this configuration and {@code other} differ, in field order, by dotted path
     * ({@code network.channels}); a different name is a difference at the configuration's own path ({@code ""} at
     * the top, where there is nothing else to compare).
     *
     * @param other the configuration to compare with
     * @return the differences; empty when the two are equal
     */
    public List<Difference> differences(Configuration other) {
        List<Difference> out = new ArrayList<>();
        collect("", this, other, out);
        return List.copyOf(out);
    }

    private static void collect(String path, Configuration a, Configuration b, List<Difference> out) {
        if (!a.name.equals(b.name)) {
            out.add(new Difference(path, a.toString(), b.toString()));
            return;
        }
        Set<String> keys = new LinkedHashSet<>(a.fields.keySet());
        keys.addAll(b.fields.keySet());
        for (String key : keys) {
            String p = path.isEmpty() ? key : path + "." + key;
            Object x = a.fields.get(key);
            Object y = b.fields.get(key);
            if (x instanceof Configuration cx && y instanceof Configuration cy) {
                collect(p, cx, cy, out);
            } else if (!Objects.equals(x, y)) {
                out.add(new Difference(p, x == null ? null : render(x), y == null ? null : render(y)));
            }
        }
    }

    /**
     * One differing field.
     *
     * @param path  dotted path of the field, e.g. {@code network.channels}
     * @param left  its text in the configuration compared, or null where it has no such field
     * @param right its text in the other one, or null where it has no such field
     */
    public record Difference(String path, String left, String right) {
    }

    /** The canonical text, {@code name(key=value, ...)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (!first) {
                s.append(", ");
            }
            first = false;
            s.append(f.getKey()).append('=').append(render(f.getValue()));
        }
        return s.append(')').toString();
    }

    private static String render(Object value) {
        if (value instanceof Configuration c) {
            return c.toString();
        }
        String v = (String) value;
        if (PLAIN.matcher(v).matches()) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Configuration c && c.name.equals(name) && c.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + fields.hashCode();
    }
}
