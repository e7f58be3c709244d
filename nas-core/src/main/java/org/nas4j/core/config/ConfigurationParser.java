package org.nas4j.core.config;

/** Reads the canonical text of a {@link Configuration}; one instance per text. */
final class ConfigurationParser {
    private final String text;
    private int pos;

    ConfigurationParser(String text) {
        this.text = text;
    }

    Configuration parse() {
        Configuration c = configuration();
        if (pos != text.length()) {
            throw error("end of text");
        }
        return c;
    }

    private Configuration configuration() {
        Configuration c = Configuration.of(token("a name"));
        expect('(');
        if (peek() == ')') {
            pos++;
            return c;
        }
        while (true) {
            String key = token("a key");
            expect('=');
            c = c.with(key, value());
            if (peek() == ')') {
                pos++;
                return c;
            }
            expect(',');
            if (peek() == ' ') {
                pos++;
            }
        }
    }

    private Object value() {
        if (peek() == '"') {
            return quoted();
        }
        String plain = token("a value");
        if (peek() == '(') {
            pos -= plain.length();
            return configuration();
        }
        return plain;
    }

    private String quoted() {
        StringBuilder s = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char ch = text.charAt(pos++);
            if (ch == '"') {
                return s.toString();
            }
            if (ch == '\\' && pos < text.length()) {
                ch = text.charAt(pos++);
            }
            s.append(ch);
        }
        throw error("a closing quote");
    }

    private String token(String what) {
        int start = pos;
        while (pos < text.length() && "(),=\" \\".indexOf(text.charAt(pos)) < 0
                && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error(what);
        }
        return text.substring(start, pos);
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char ch) {
        if (peek() != ch) {
            throw error("'" + ch + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("text must be a configuration name(key=value, ...), but at position "
                + pos + " of '" + text + "' expected " + expected);
    }
}
