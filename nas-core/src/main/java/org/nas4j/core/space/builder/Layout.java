package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nas4j.core.space.Choice;

/**
 * A space definition checked and laid out at {@code build()}: its choices in vector order (values of the space,
 * then the parts in order: op choices, depths, each repetition's values and choices, each cell template's choices
 * at its first placement), and the tree of parts that {@link Planner} walks for one architecture. Immutable once
 * built.
 */
final class Layout {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

    /** A laid-out part. */
    sealed interface Node {
    }

    /** A layer: {@code choice} is its op choice's index, or -1 for a fixed op. */
    record LayerNode(String path, List<String> ops, int choice, Width width, int stride, Scope scope)
            implements Node {
    }

    /** A repeat: {@code depthChoice} is -1 when min == max; one list of parts per possible repetition. */
    record RepeatNode(String path, int min, int max, int depthChoice, List<List<Node>> repetitions)
            implements Node {
    }

    /** The auxiliary head. */
    record AuxiliaryNode(String path, String op, int classes) implements Node {
    }

    /**
     * A join: per input, its label, the path of the part it reads ({@code "input"}: the network's input), its ops and
     * its op choice's index (-1 for a fixed op).
     */
    record JoinNode(String path, List<String> labels, List<String> sources, List<List<String>> ops, int[] choices,
                    String op, Width width, int stride, Scope scope) implements Node {
    }

    /** A cell placement. */
    record CellNode(String path, CompiledCell cell, Width width, Scope scope) implements Node {
    }

    private final OpCatalogue catalogue;
    private final ChoiceList choiceList = new ChoiceList();
    private final Map<String, CompiledCell> cells = new LinkedHashMap<>();
    private final List<Scope.Slot> slots = new ArrayList<>();
    private final List<Node> root;
    private final List<Choice> choices;
    private final int[][] conditions;

    private Layout(OpCatalogue catalogue, List<ValueChoice> values, List<Part> parts) {
        this.catalogue = catalogue;
        Scope scope = new Scope(null);
        declare(values, scope, "", new int[0]);
        this.root = walk(parts, scope, "", new int[0]);
        for (Scope.Slot slot : slots) {
            if (!slot.used) {
                throw new SpaceDefinitionException(DefinitionError.UNUSED_VALUE, "value '" + slot.path
                        + "' is used by no width and no op name; remove it or read it with Width.value(\""
                        + slot.value.name() + "\") or an op name such as \"nor_conv_{" + slot.value.name()
                        + "}x{" + slot.value.name() + "}\"");
            }
        }
        this.choices = choiceList.choices();
        this.conditions = choiceList.conditions();
    }

    /** Checks and lays out a definition; a {@link SpaceDefinitionException} names the first error. */
    static Layout compile(OpCatalogue catalogue, List<ValueChoice> values, List<Part> parts) {
        return new Layout(catalogue, values, parts);
    }

    List<Node> root() {
        return root;
    }

    List<Choice> choices() {
        return choices;
    }

    int[][] conditions() {
        return conditions;
    }

    /** The cell templates, in the order of their first placement. */
    List<CompiledCell> cells() {
        return List.copyOf(cells.values());
    }

    OpCatalogue catalogue() {
        return catalogue;
    }

    /**
     * Whether choice {@code choice} is a value read only by {@link Width#range} widths, whose networks depend on the
     * counts of its ranges alone (the start tells a supernet which slice to use).
     */
    boolean rangeOnly(int choice) {
        for (Scope.Slot slot : slots) {
            if (slot.choice == choice) {
                return slot.rangeOnly;
            }
        }
        return false;
    }

    private void declare(List<ValueChoice> values, Scope scope, String prefix, int[] conditions) {
        for (ValueChoice v : values) {
            String path = prefix + v.name();
            if (scope.declaresHere(v.name())) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "two values are named '" + path
                        + "'");
            }
            if (v.options().isEmpty()) {
                throw new SpaceDefinitionException(DefinitionError.EMPTY_CHOICE, "value '" + path + "' has no option");
            }
            if (new HashSet<>(v.options()).size() != v.options().size()) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "value '" + path
                        + "' lists an option twice: " + v.options());
            }
            int choice = v.options().size() > 1
                    ? choiceList.add(Choice.of(path, Choice.Kind.VALUE, v.options()), conditions) : -1;
            Scope.Slot slot = new Scope.Slot(v, path, choice);
            scope.declare(slot);
            slots.add(slot);
        }
    }

    private List<Node> walk(List<Part> parts, Scope scope, String prefix, int[] conditions) {
        List<Node> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Part part : parts) {
            String path = prefix + part.name();
            if (!names.add(part.name())) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "two parts are named '" + path
                        + "'");
            }
            if (part instanceof Part.Layer layer) {
                nodes.add(layer(layer, path, scope, conditions));
            } else if (part instanceof Part.Repeat repeat) {
                nodes.add(repeat(repeat, path, scope, conditions));
            } else if (part instanceof Part.Auxiliary aux) {
                if (!catalogue.contains(aux.op())) {
                    throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, "'" + path + "': unknown op '"
                            + aux.op() + "'; known ops: " + catalogue.names());
                }
                nodes.add(new AuxiliaryNode(path, aux.op(), aux.classes()));
            } else if (part instanceof Part.Join join) {
                nodes.add(join(join, path, prefix, names, scope, conditions));
            } else if (part instanceof Part.Cell cell) {
                checkWidth(cell.width(), scope, path);
                if (cell.template().inputs() == 2) {
                    OpCatalogue.CellInputs pre = catalogue.cellInputs();
                    for (String op : pre.ops()) {
                        if (!catalogue.contains(op)) {
                            throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, "'" + path + "': a cell"
                                    + " with two inputs preprocesses them with '" + op + "', which the catalogue"
                                    + " lacks; known ops: " + catalogue.names());
                        }
                    }
                }
                CompiledCell compiled = cells.get(cell.template().name());
                if (compiled == null) {
                    compiled = CompiledCell.compile(cell.template(), catalogue, choiceList);
                    cells.put(cell.template().name(), compiled);
                } else if (!compiled.template().equals(cell.template())) {
                    throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "two different cell templates"
                            + " are named '" + cell.template().name() + "'");
                }
                nodes.add(new CellNode(path, compiled, cell.width(), scope));
            }
        }
        return nodes;
    }

    private LayerNode layer(Part.Layer layer, String path, Scope scope, int[] conditions) {
        if (layer.ops().isEmpty()) {
            throw new SpaceDefinitionException(DefinitionError.EMPTY_CHOICE, "op choice '" + path + "' has no op");
        }
        if (new HashSet<>(layer.ops()).size() != layer.ops().size()) {
            throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "op choice '" + path
                    + "' lists an op twice: " + layer.ops());
        }
        for (String op : layer.ops()) {
            for (String resolved : expansions(op, scope, path)) {
                if (!catalogue.contains(resolved)) {
                    throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, "'" + path + "': unknown op '"
                            + resolved + "'" + (resolved.equals(op) ? "" : " (from '" + op + "')")
                            + "; known ops: " + catalogue.names());
                }
            }
        }
        checkWidth(layer.width(), scope, path);
        int choice = layer.ops().size() > 1
                ? choiceList.add(Choice.of(path, Choice.Kind.OPERATION, layer.ops()), conditions) : -1;
        return new LayerNode(path, layer.ops(), choice, layer.width(), layer.stride(), scope);
    }

    private JoinNode join(Part.Join join, String path, String prefix, Set<String> earlier, Scope scope,
            int[] conditions) {
        if (join.inputs().isEmpty()) {
            throw new SpaceDefinitionException(DefinitionError.MISSING_PART, "join '" + path + "' has no input");
        }
        List<String> labels = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<List<String>> ops = new ArrayList<>();
        int[] choices = new int[join.inputs().size()];
        for (int i = 0; i < join.inputs().size(); i++) {
            Part.Join.Input in = join.inputs().get(i);
            String where = path + "." + in.label();
            if (labels.contains(in.label())) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "join '" + path
                        + "' has two inputs labelled '" + in.label() + "'");
            }
            if (!in.from().equals("input") && (in.from().equals(join.name()) || !earlier.contains(in.from()))) {
                throw new SpaceDefinitionException(DefinitionError.UNKNOWN_INPUT, "join '" + path + "', input '"
                        + in.label() + "' reads '" + in.from() + "', which is not an earlier part here; earlier"
                        + " parts: " + earlier.stream().filter(n -> !n.equals(join.name())).toList()
                        + " (or 'input')");
            }
            if (in.ops().isEmpty()) {
                throw new SpaceDefinitionException(DefinitionError.EMPTY_CHOICE, "op choice '" + where
                        + "' has no op");
            }
            if (new HashSet<>(in.ops()).size() != in.ops().size()) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "op choice '" + where
                        + "' lists an op twice: " + in.ops());
            }
            for (String op : in.ops()) {
                for (String resolved : expansions(op, scope, where)) {
                    if (!catalogue.contains(resolved)) {
                        throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, "'" + where + "': unknown op '"
                                + resolved + "'" + (resolved.equals(op) ? "" : " (from '" + op + "')")
                                + "; known ops: " + catalogue.names());
                    }
                }
            }
            labels.add(in.label());
            sources.add(in.from().equals("input") ? "input" : prefix + in.from());
            ops.add(in.ops());
            choices[i] = in.ops().size() > 1
                    ? choiceList.add(Choice.of(where, Choice.Kind.OPERATION, in.ops()), conditions) : -1;
        }
        if (!join.op().equals("identity") && !catalogue.contains(join.op())) {
            throw new SpaceDefinitionException(DefinitionError.UNKNOWN_OP, "join '" + path + "': unknown op '"
                    + join.op() + "' after the sum; known ops: " + catalogue.names());
        }
        checkWidth(join.width(), scope, path);
        return new JoinNode(path, labels, sources, ops, choices, join.op(), join.width(), join.stride(), scope);
    }

    private RepeatNode repeat(Part.Repeat repeat, String path, Scope scope, int[] conditions) {
        if (repeat.min() < 0 || repeat.max() < 1 || repeat.max() < repeat.min()) {
            throw new SpaceDefinitionException(DefinitionError.BAD_REPEAT, "repeat '" + path
                    + "' must have 0 <= min <= max and max >= 1, but had min=" + repeat.min() + ", max="
                    + repeat.max());
        }
        if (repeat.body().isEmpty()) {
            throw new SpaceDefinitionException(DefinitionError.MISSING_PART, "repeat '" + path + "' has an empty body");
        }
        int depth = -1;
        if (repeat.min() < repeat.max()) {
            List<String> options = new ArrayList<>();
            for (int d = repeat.min(); d <= repeat.max(); d++) {
                options.add(Integer.toString(d));
            }
            depth = choiceList.add(Choice.of(path, Choice.Kind.VALUE, options), conditions);
        }
        List<List<Node>> repetitions = new ArrayList<>();
        for (int r = 0; r < repeat.max(); r++) {
            int[] inner = conditions;
            if (depth >= 0 && r >= repeat.min()) {
                inner = java.util.Arrays.copyOf(conditions, conditions.length + 2);
                inner[conditions.length] = depth;
                inner[conditions.length + 1] = r - repeat.min() + 1;
            }
            Scope local = new Scope(scope);
            String prefix = path + "[" + r + "].";
            declare(repeat.values(), local, prefix, inner);
            repetitions.add(walk(repeat.body(), local, prefix, inner));
        }
        return new RepeatNode(path, repeat.min(), repeat.max(), depth, repetitions);
    }

    private static void checkWidth(Width width, Scope scope, String path) {
        if (width.valueName().isEmpty()) {
            return;
        }
        String name = width.valueName().get();
        Scope.Slot slot = scope.find(name);
        if (slot == null) {
            throw new SpaceDefinitionException(DefinitionError.UNKNOWN_VALUE, "'" + path + "' reads value '" + name
                    + "', which no value choice in scope declares");
        }
        slot.used = true;
        slot.rangeOnly &= width instanceof Width.Range;
        for (String option : slot.value.options()) {
            try {
                width.resolve(1, n -> option);
            } catch (IllegalArgumentException e) {
                throw new SpaceDefinitionException(DefinitionError.BAD_VALUE, "'" + path + "' has width " + width
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every op name that {@code op} can become by replacing its {@code {value}} placeholders; marks them used. */
    private static List<String> expansions(String op, Scope scope, String path) {
        List<String> out = new ArrayList<>(List.of(op));
        Matcher m = PLACEHOLDER.matcher(op);
        Set<String> seen = new HashSet<>();
        while (m.find()) {
            String name = m.group(1);
            if (!seen.add(name)) {
                continue;
            }
            Scope.Slot slot = scope.find(name);
            if (slot == null) {
                throw new SpaceDefinitionException(DefinitionError.UNKNOWN_VALUE, "'" + path + "': op '" + op
                        + "' reads value '" + name + "', which no value choice in scope declares");
            }
            slot.used = true;
            slot.rangeOnly = false;
            List<String> next = new ArrayList<>();
            for (String partial : out) {
                for (String option : slot.value.options()) {
                    next.add(partial.replace("{" + name + "}", option));
                }
            }
            out = next;
        }
        return out;
    }

    /** The op name {@code op} with its placeholders replaced by the values of {@code vector}. */
    static String resolveOp(String op, Scope scope, int[] vector) {
        if (op.indexOf('{') < 0) {
            return op;
        }
        Matcher m = PLACEHOLDER.matcher(op);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(s, Matcher.quoteReplacement(scope.option(m.group(1), vector)));
        }
        m.appendTail(s);
        return s.toString();
    }
}
