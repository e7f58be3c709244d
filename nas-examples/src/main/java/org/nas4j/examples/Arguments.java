package org.nas4j.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal {@code --name value} argument parsing for the examples, with clear errors. */
final class Arguments {
    private final Map<String, String> values;
    private final List<String> positional;

    private Arguments(Map<String, String> values, List<String> positional) {
        this.values = values;
        this.positional = positional;
    }

    /**
     * Parses {@code args} against the known options and their defaults. Options listed with the default
     * {@code "false"} are flags and take no value.
     */
    static Arguments parse(String[] args, Map<String, String> defaults) {
        Map<String, String> v = new LinkedHashMap<>(defaults);
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (!defaults.containsKey(a)) {
                throw new IllegalArgumentException("unknown option " + a + "; known options: " + defaults.keySet());
            }
            if ("false".equals(defaults.get(a))) {
                v.put(a, "true");
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            } else {
                v.put(a, args[++i]);
            }
        }
        return new Arguments(v, positional);
    }

    String get(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.get(name));
    }

    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String s : values.get(name).split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    List<String> positional() {
        return positional;
    }

    static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, but was '" + value + "'");
    }
}
