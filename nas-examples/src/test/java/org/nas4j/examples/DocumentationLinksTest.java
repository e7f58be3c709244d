package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation stands alone: README.md and every page under docs/ cite only the project's own files. No path
 * leads outside the repository ({@code ../shared}, {@code shared/notes}, absolute {@code /work} paths, the
 * project-internal design note), and every relative markdown link names a file that exists.
 */
class DocumentationLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final List<String> OUTSIDE = List.of("../shared", "shared/notes", "shared/data", "shared/bench",
            "/work/", "DESIGN.md", "DESIGN rule", "design note");

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                && Files.isDirectory(dir.resolve("nas-core")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no repository root (README.md, docs/, nas-core/) above " + Path.of("").toAbsolutePath());
        return dir;
    }

    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The problems of one page: paths outside the project and relative links to missing files. */
    static List<String> problems(Path root, Path page, String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = root.relativize(page) + ":" + (i + 1) + ": ";
            for (String outside : OUTSIDE) {
                if (lines[i].contains(outside)) {
                    out.add(where + "cites '" + outside + "', outside the project");
                }
            }
            Matcher m = LINK.matcher(lines[i]);
            while (m.find()) {
                String target = m.group(1);
                String lower = target.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:")
                        || target.startsWith("#")) {
                    continue;
                }
                int hash = target.indexOf('#');
                Path file = page.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
                if (!file.startsWith(root)) {
                    out.add(where + "links to " + target + ", outside the repository");
                } else if (!Files.exists(file)) {
                    out.add(where + "links to " + target + ", which does not exist");
                }
            }
        }
        return out;
    }

    @Test
    void readmeAndDocsCiteOnlyTheProjectsOwnFiles() throws IOException {
        Path root = repositoryRoot();
        List<String> problems = new ArrayList<>();
        List<Path> pages = pages(root);
        assertTrue(pages.size() > 10, "expected the docs pages, found " + pages);
        for (Path page : pages) {
            problems.addAll(problems(root, page, Files.readString(page)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckFindsOutsidePathsAndMissingFiles() {
        Path root = repositoryRoot();
        Path page = root.resolve("docs/engine.md");
        assertEquals(List.of(
                        "docs/engine.md:1: cites '../shared', outside the project",
                        "docs/engine.md:1: links to ../../shared/x.md, outside the repository",
                        "docs/engine.md:2: cites 'shared/notes', outside the project",
                        "docs/engine.md:3: links to missing.md#top, which does not exist"),
                problems(root, page, "see [x](../../shared/x.md)\n(shared/notes/a.md) [ok](design.md#rules)\n"
                        + "[gone](missing.md#top) [web](https://example.org) [here](#top)"));
    }
}
