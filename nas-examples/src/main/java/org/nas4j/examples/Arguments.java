package org.nas4j.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The examples' {@code --name value} options, parsed by picocli from each example's table of options and defaults:
 * picocli's errors for unknown options and missing values, and {@code --help} that prints the options with their
 * defaults and exits.
 */
final class Arguments {
    private final Map<String, String> values;
    private final List<String> positional;

    private Arguments(Map<String, String> values, List<String> positional) {
        this.values = values;
        this.positional = positional;
    }

    /**
     * Parses {@code args} against the known options and their defaults. Options listed with the default
     * {@code "false"} are flags and take no value; other arguments are positional. {@code --help} (or {@code -h})
     * prints the usage and exits the program.
     */
    static Arguments parse(String[] args, Map<String, String> defaults) {
        String program = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass()
                .getSimpleName();
        CommandSpec spec = CommandSpec.create().name(program);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show the options with their defaults and exit.").build());
        Map<String, String> sorted = new TreeMap<>(defaults);
        sorted.forEach((name, value) -> spec.addOption("false".equals(value)
                ? OptionSpec.builder(name).arity("0").type(boolean.class).description("a flag").build()
                : OptionSpec.builder(name).arity("1").type(String.class).paramLabel("VALUE")
                        .description(value.isEmpty() ? "default: none" : "default: " + value).build()));
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").type(String[].class).paramLabel("ARG").build());
        CommandLine cli = new CommandLine(spec);
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "; known options: " + sorted.keySet());
        }
        if (parsed.isUsageHelpRequested()) {
            cli.usage(new PrintWriter(System.out, true));
            System.exit(0);
        }
        Map<String, String> v = new LinkedHashMap<>(defaults);
        for (OptionSpec option : parsed.matchedOptions()) {
            String name = option.longestName();
            if (defaults.containsKey(name)) {
                v.put(name, option.arity().max() == 0 ? "true" : option.getValue());
            }
        }
        List<String> positional = new ArrayList<>();
        for (PositionalParamSpec p : parsed.matchedPositionals()) {
            for (String s : p.<String[]>getValue()) {
                positional.add(s);
            }
        }
        return new Arguments(v, positional);
    }

    String get(String name) {
        return values.get(name);
    }

    /** Every option's value (given or default), by its name. */
    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
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

    /** The one positional argument, which must be one of {@code modes}; an exception naming the modes otherwise. */
    String mode(List<String> modes) {
        if (positional.size() != 1 || !modes.contains(positional.get(0))) {
            throw new IllegalArgumentException("one argument must be the mode " + String.join("|", modes)
                    + ", but was " + positional);
        }
        return positional.get(0);
    }

    /**
     * The value of option {@code name}, which must be {@code first} or {@code second}; an exception naming the option,
     * both values and the value given otherwise.
     */
    String oneOf(String name, String first, String second) {
        String value = get(name);
        if (!value.equals(first) && !value.equals(second)) {
            throw new IllegalArgumentException(name + " must be " + first + " or " + second + ", but was '" + value
                    + "'");
        }
        return value;
    }

    /** {@code --threads}: empty for {@code 0} (nas4j's choice), else a positive count. */
    java.util.OptionalInt threads() {
        String value = get("--threads");
        return "0".equals(value) ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(positiveInt("--threads", value));
    }
}
