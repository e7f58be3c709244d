package org.nas4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one self-contained HTML page: the template, Apache ECharts from its WebJar, the page's own script and the
 * report's data, all inlined, so that the page opens offline and no request leaves it.
 */
final class HtmlPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Z]+)%");
    private static final String ECHARTS_PROPERTIES = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private HtmlPage() {
    }

    /**
     * Writes the page.
     *
     * @param out    the file
     * @param title  the page's title
     * @param script the page's script, a resource next to this class (e.g. {@code report.js})
     * @param data   the data the script draws, bound to {@code DATA}
     * @return {@code out}
     */
    static Path write(Path out, String title, String script, ObjectNode data) throws IOException {
        Map<String, String> parts = Map.of(
                "TITLE", escapeHtml(title),
                "STYLE", resource("report.css"),
                "ECHARTS", inlineScript(echarts()),
                "DATA", json(data),
                "COMMON", inlineScript(resource("common.js")),
                "SCRIPT", inlineScript(resource(script)));
        String page = fill(resource("page.html"), parts);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, page, StandardCharsets.UTF_8);
        return out;
    }

    /** The template with each {@code %NAME%} replaced by its part, in one pass (parts are not searched again). */
    static String fill(String template, Map<String, String> parts) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String part = parts.get(m.group(1));
            if (part == null) {
                throw new IllegalStateException("the page template names an unknown part " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(part));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** ECharts' minified bundle from the WebJar on the class path. */
    static String echarts() throws IOException {
        String version;
        try (InputStream in = HtmlPage.class.getClassLoader().getResourceAsStream(ECHARTS_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            version = p.getProperty("version");
        }
        String path = "META-INF/resources/webjars/echarts/" + version + "/dist/echarts.min.js";
        try (InputStream in = HtmlPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar has no " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String json(ObjectNode data) {
        try {
            // inside JSON strings "<\/" reads as "</", so no text of the data can end the element
            return "const DATA = " + JSON.writeValueAsString(data).replace("</", "<\\/") + ";";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Script text that cannot close its {@code <script>} element early: {@code </script} becomes {@code <\/script}
     * (the same text inside the string or regular expression where it can occur).
     */
    static String inlineScript(String js) {
        return js.replaceAll("(?i)</(script)", "<\\\\/$1");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " of " + HtmlPage.class.getPackageName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
