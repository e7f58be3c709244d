package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.space.Choice;

/**
 * The readable text form of an architecture of a {@link ComposedSpace}: {@code key=value} entries separated by
 * {@code "; "} in the order of the choice vector, one per value, op choice and depth ({@code width=32},
 * {@code blocks[1].op=sep_conv_3x3}, {@code blocks=3}) and one per cell node with a choice, its inputs written
 * {@code op~state} and joined by {@code +} ({@code normal.n2=sep_conv_3x3~0+skip_connect~1}). Entries of absent
 * repetitions are left out. Parsing is strict and names the bad entry. Immutable.
 */
final class ArchitectureText {

    /** One entry of the text. */
    private sealed interface Entry {
        String key();

        int firstChoice();
    }

    /** An entry for one choice: its option. */
    private record Simple(String key, int firstChoice) implements Entry {
    }

    /** An entry for one cell node: its inputs and ops. */
    private record NodeEntry(String key, CompiledCell.NodeLayout node, int firstChoice) implements Entry {
    }

    private final List<Choice> choices;
    private final int[][] conditions;
    private final List<Entry> entries;
    private final Map<String, Entry> byKey = new LinkedHashMap<>();

    ArchitectureText(Layout layout) {
        this.choices = layout.choices();
        this.conditions = layout.conditions();
        boolean[] inCell = new boolean[choices.size()];
        List<Entry> list = new ArrayList<>();
        for (CompiledCell cell : layout.cells()) {
            for (CompiledCell.NodeLayout n : cell.nodes()) {
                int first = Integer.MAX_VALUE;
                for (int s = 0; s < n.k(); s++) {
                    for (int c : new int[] {n.inputChoice()[s], n.opChoice()[s]}) {
                        if (c >= 0) {
                            inCell[c] = true;
                            first = Math.min(first, c);
                        }
                    }
                }
                if (n.hasChoice()) {
                    list.add(new NodeEntry(cell.name() + "." + n.name(), n, first));
                }
            }
        }
        for (int i = 0; i < choices.size(); i++) {
            if (!inCell[i]) {
                list.add(new Simple(choices.get(i).name(), i));
            }
        }
        list.sort(Comparator.comparingInt(Entry::firstChoice));
        this.entries = List.copyOf(list);
        for (Entry e : entries) {
            byKey.put(e.key(), e);
        }
    }

    String format(int[] vector) {
        List<String> parts = new ArrayList<>();
        for (Entry e : entries) {
            if (!active(e, vector)) {
                continue;
            }
            if (e instanceof Simple s) {
                parts.add(s.key() + "=" + choices.get(s.firstChoice()).option(vector[s.firstChoice()]));
            } else if (e instanceof NodeEntry n) {
                List<String> inputs = new ArrayList<>();
                for (int slot = 0; slot < n.node().k(); slot++) {
                    inputs.add(n.node().op(slot, vector) + "~" + n.node().input(slot, vector));
                }
                parts.add(n.key() + "=" + String.join("+", inputs));
            }
        }
        return String.join("; ", parts);
    }

    int[] parse(String text, String spaceName) {
        int[] vector = new int[choices.size()];
        Map<String, String> given = new LinkedHashMap<>();
        for (String token : text.split(";")) {
            String t = token.strip();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("architecture text of space '" + spaceName + "': entry '" + t
                        + "' must be key=value");
            }
            String key = t.substring(0, eq).strip();
            if (!byKey.containsKey(key)) {
                throw new IllegalArgumentException("architecture text of space '" + spaceName + "': unknown key '"
                        + key + "'; keys: " + byKey.keySet());
            }
            if (given.put(key, t.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("architecture text of space '" + spaceName + "': key '" + key
                        + "' is given twice");
            }
        }
        for (Map.Entry<String, String> g : given.entrySet()) {
            Entry e = byKey.get(g.getKey());
            if (e instanceof Simple s) {
                vector[s.firstChoice()] = choices.get(s.firstChoice()).indexOf(g.getValue());
            } else if (e instanceof NodeEntry n) {
                parseNode(n, g.getValue(), vector);
            }
        }
        for (Entry e : entries) {
            boolean active = active(e, vector);
            if (active && !given.containsKey(e.key())) {
                throw new IllegalArgumentException("architecture text of space '" + spaceName + "': missing '"
                        + e.key() + "'");
            }
            if (!active && given.containsKey(e.key())) {
                throw new IllegalArgumentException("architecture text of space '" + spaceName + "': '" + e.key()
                        + "' is given, but its repetition is absent at the depth chosen");
            }
        }
        return vector;
    }

    private void parseNode(NodeEntry entry, String value, int[] vector) {
        CompiledCell.NodeLayout n = entry.node();
        String[] terms = value.split("\\+", -1);
        if (terms.length != n.k()) {
            throw new IllegalArgumentException("'" + entry.key() + "' needs " + n.k() + " inputs written op~state and"
                    + " joined by '+', but was '" + value + "'");
        }
        for (int s = 0; s < terms.length; s++) {
            String term = terms[s].strip();
            int tilde = term.lastIndexOf('~');
            int state;
            try {
                state = tilde < 0 ? -1 : Integer.parseInt(term.substring(tilde + 1).strip());
            } catch (NumberFormatException e) {
                state = -1;
            }
            if (state < 0) {
                throw new IllegalArgumentException("'" + entry.key() + "': input '" + term + "' must be op~state,"
                        + " e.g. " + n.ops().get(0) + "~" + n.candidates()[0]);
            }
            String op = term.substring(0, tilde).strip();
            if (n.inputChoice()[s] < 0) {
                if (state != n.candidates()[s]) {
                    throw new IllegalArgumentException("'" + entry.key() + "': input " + s + " reads state "
                            + n.candidates()[s] + ", but was '" + term + "'");
                }
            } else {
                int index = indexOf(n.candidates(), state);
                if (index < 0) {
                    throw new IllegalArgumentException("'" + entry.key() + "': input '" + term + "' reads state "
                            + state + ", which is not one of its candidates " + java.util.Arrays.toString(
                                    n.candidates()));
                }
                vector[n.inputChoice()[s]] = index;
            }
            if (n.opChoice()[s] < 0) {
                if (!op.equals(n.ops().get(0))) {
                    throw new IllegalArgumentException("'" + entry.key() + "': input " + s + " has the fixed op '"
                            + n.ops().get(0) + "', but was '" + term + "'");
                }
            } else {
                int index = n.ops().indexOf(op);
                if (index < 0) {
                    throw new IllegalArgumentException("'" + entry.key() + "': unknown op '" + op + "' in '" + term
                            + "'; ops: " + n.ops());
                }
                vector[n.opChoice()[s]] = index;
            }
        }
    }

    private boolean active(Entry e, int[] vector) {
        return ChoiceList.active(conditions, e.firstChoice(), vector);
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
