package org.nas4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link OneShotBenchmark}'s {@code --out} directory, which makes a long benchmark resumable: the printed lines of
 * every finished part (a method on a seed, or a seed's baseline cells), and the journals and checkpoints of the part
 * that is running. The same command run again replays the finished parts' lines and resumes the running part from
 * its last checkpoint, so a killed benchmark loses at most one epoch.
 *
 * <p>Layout: {@code settings.txt} (the options that change results, one {@code --name=value} per line),
 * {@code finished/<part>.txt} (a part's lines, written to a temporary file and moved into place when the part
 * ends, so a kill never leaves half of them), {@code running/<part>/} (the part's search journal or supernet
 * checkpoint).
 */
final class BenchmarkDirectory {
    private static final String SETTINGS = "settings.txt";

    private final Path root;

    private BenchmarkDirectory(Path root) {
        this.root = root;
    }

    /**
     * Opens {@code root} for a run with {@code settings}, creating it if needed; the first run writes the
     * settings, a later one must have the same.
     *
     * @throws IllegalArgumentException naming the first option whose value differs from the directory's run
     */
    static BenchmarkDirectory open(Path root, Map<String, String> settings) {
        Map<String, String> now = new TreeMap<>(settings);
        Path file = root.resolve(SETTINGS);
        try {
            Files.createDirectories(root.resolve("finished"));
            if (Files.exists(file)) {
                Map<String, String> before = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                TreeSet<String> names = new TreeSet<>(before.keySet());
                names.addAll(now.keySet());
                for (String name : names) {
                    if (!Objects.equals(before.get(name), now.get(name))) {
                        throw new IllegalArgumentException("--out: " + root + " holds a run with "
                                + setting(name, before) + ", but this run has " + setting(name, now)
                                + "; give the same settings to resume it, or another --out");
                    }
                }
            } else {
                StringBuilder text = new StringBuilder();
                now.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
                write(file, text.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--out: cannot use " + root, e);
        }
        return new BenchmarkDirectory(root);
    }

    /** The lines of {@code part} if it finished in an earlier run. */
    Optional<List<String>> finished(String part) {
        Path file = finishedFile(part);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Records that {@code part} finished with {@code lines}. */
    void finish(String part, List<String> lines) {
        Path file = finishedFile(part);
        try {
            write(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The directory (created) for the journal and checkpoints of {@code part} while it runs. */
    Path running(String part) {
        Path dir = root.resolve("running").resolve(part);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private Path finishedFile(String part) {
        return root.resolve("finished").resolve(part + ".txt");
    }

    private static String setting(String name, Map<String, String> settings) {
        return settings.containsKey(name) ? name + "=" + settings.get(name) : "no " + name;
    }

    private static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new TreeMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** Writes {@code text} to a temporary file beside {@code file} and moves it over {@code file}. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
