package org.nas4j.spaces.darts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A small recursive-descent reader of the DARTS genotype text (a Python namedtuple literal). */
final class GenotypeText {
    private static final List<String> FIELDS = List.of("normal", "normal_concat", "reduce", "reduce_concat");

    private final String text;
    private int pos;

    private GenotypeText(String text) {
        this.text = text;
    }

    static Genotype parse(String text) {
        Objects.requireNonNull(text, "text");
        return new GenotypeText(text).genotype();
    }

    private Genotype genotype() {
        skipSpace();
        if (text.startsWith("Genotype", pos)) {
            pos += "Genotype".length();
        }
        if (!peek('(')) {
            throw error("expected a genotype, Genotype(normal=[('op', input), ...], normal_concat=[...], "
                    + "reduce=[...], reduce_concat=[...]),");
        }
        expect('(');
        Map<String, Object> args = new HashMap<>();
        int positional = 0;
        while (!peek(')')) {
            String field;
            int save = pos;
            String word = peekWord();
            skipSpace();
            if (word != null && FIELDS.contains(word) && followedByEquals(word)) {
                pos += word.length();
                expect('=');
                field = word;
            } else {
                pos = save;
                if (word != null && followedByEquals(word)) {
                    throw error("unknown field '" + word + "'; known fields: " + FIELDS);
                }
                if (positional >= FIELDS.size()) {
                    throw error("too many arguments; a genotype has the fields " + FIELDS);
                }
                field = FIELDS.get(positional++);
            }
            if (args.containsKey(field)) {
                throw error("field '" + field + "' given twice");
            }
            args.put(field, field.endsWith("concat") ? concat(field) : pairs(field));
            if (!peek(',')) {
                break;
            }
            expect(',');
        }
        expect(')');
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected text after the genotype");
        }
        for (String f : FIELDS) {
            if (!args.containsKey(f)) {
                throw new IllegalArgumentException("genotype text must give the field '" + f + "', but did not: '"
                        + text + "'");
            }
        }
        return new Genotype(cast(args.get("normal")), cast(args.get("normal_concat")), cast(args.get("reduce")),
                cast(args.get("reduce_concat")));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(Object o) {
        return (List<T>) o;
    }

    private List<Genotype.Pair> pairs(String field) {
        List<Genotype.Pair> out = new ArrayList<>();
        expect('[');
        while (!peek(']')) {
            int at = pos;
            expect('(');
            String op = string();
            expect(',');
            int input = integer();
            if (peek(',')) {
                expect(',');
            }
            expect(')');
            try {
                out.add(new Genotype.Pair(op, input));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in field '" + field + "' at position " + at + ": "
                        + e.getMessage(), e);
            }
            if (!peek(',')) {
                break;
            }
            expect(',');
        }
        expect(']');
        return out;
    }

    private List<Integer> concat(String field) {
        List<Integer> out = new ArrayList<>();
        skipSpace();
        if (text.startsWith("range", pos)) {
            pos += "range".length();
            expect('(');
            int a = integer();
            int b;
            if (peek(',')) {
                expect(',');
                b = integer();
            } else {
                b = a;
                a = 0;
            }
            expect(')');
            if (b <= a) {
                throw error("range(" + a + ", " + b + ") of field '" + field + "' is empty");
            }
            for (int i = a; i < b; i++) {
                out.add(i);
            }
            return out;
        }
        boolean list = peek('[');
        expect(list ? '[' : '(');
        char close = list ? ']' : ')';
        while (!peek(close)) {
            out.add(integer());
            if (!peek(',')) {
                break;
            }
            expect(',');
        }
        expect(close);
        return out;
    }

    private String string() {
        skipSpace();
        if (pos >= text.length() || (text.charAt(pos) != '\'' && text.charAt(pos) != '"')) {
            throw error("expected a quoted operation name");
        }
        char quote = text.charAt(pos);
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw error("unterminated string");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private int integer() {
        skipSpace();
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '-') {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == start || (pos == start + 1 && text.charAt(start) == '-')) {
            pos = start;
            throw error("expected an integer");
        }
        try {
            return Integer.parseInt(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer out of range");
        }
    }

    private String peekWord() {
        skipSpace();
        int end = pos;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return end > pos && !Character.isDigit(text.charAt(pos)) ? text.substring(pos, end) : null;
    }

    private boolean followedByEquals(String word) {
        int i = pos + word.length();
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '=';
    }

    private boolean peek(char c) {
        skipSpace();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        String found = pos >= text.length() ? "end of text" : "'" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'";
        return new IllegalArgumentException("genotype text: " + what + " at position " + pos + ", but found " + found);
    }
}
