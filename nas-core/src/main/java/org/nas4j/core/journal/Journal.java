package org.nas4j.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.SearchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trial journal: one JSON line per finished trial, appended and flushed before the strategy hears of the
 * trial, after a header line that says what search it belongs to. Opening an existing journal first repairs a
 * last line that a kill cut short ({@link JournalRepair}), then reads its trials back so that a killed search
 * resumes without evaluating them again. Thread-safe.
 *
 * <p>File format (JSON lines): {@code {"type":"header","space":...,"strategy":...,...}} then
 * {@code {"type":"trial","id":0,"architecture":"...","state":"COMPLETE","metrics":{"valid_acc":91.2},...}}, with
 * {@code "parent":id} when the trial inherited from an earlier one (absent otherwise, and in journals written
 * before parents existed), and {@code "metric_defs"} giving the direction and visibility of custom metrics
 * ({@link TrialCodec}). Each line goes to the file in one write of its bytes and its line end, so a kill leaves
 * at most the last line incomplete.
 */
public final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file name used inside a journal directory. */
    public static final String FILE_NAME = "journal.jsonl";

    private final Path file;
    private final Map<Integer, Trial> recorded;
    private final OutputStream out;

    private Journal(Path file, Map<Integer, Trial> recorded, OutputStream out) {
        this.file = file;
        this.recorded = recorded;
        this.out = out;
    }

    /**
     * Opens the journal at {@code location} (a {@code .jsonl} file, or a directory that gets a
     * {@value #FILE_NAME}), creating it with {@code header} if it does not exist (or holds no whole line), or
     * repairing its end and reading its trials back if it does. An existing journal with a different header is
     * refused with an exception naming the field; a line that cannot be read, other than a cut last line, with
     * one naming the file and the line number.
     */
    public static Journal open(Path location, JournalHeader header, SearchSpace space) throws IOException {
        Path file = fileOf(location);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Map<Integer, Trial> recorded = new TreeMap<>();
        JournalRepair.Result repaired = JournalRepair.repair(file);
        if (!repaired.warning().isEmpty()) {
            LOG.warn(repaired.warning());
        }
        String content = repaired.content();
        boolean exists = !content.isEmpty();
        if (exists) {
            read(file, content, header, new LinkedHashMap<>(), space, recorded);
        }
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Journal journal = new Journal(file, recorded, out);
        if (!exists) {
            ObjectNode h = JSON.createObjectNode();
            h.put("type", "header");
            header.fields().forEach(h::put);
            journal.writeLine(h);
        }
        return journal;
    }

    /**
     * Reads the journal at {@code location} (a {@code .jsonl} file or a directory holding {@value #FILE_NAME})
     * without changing it, e.g. for a report of a finished or a running search: an incomplete last line (a search
     * killed, or still writing it) is left out; any other line that cannot be read is an error naming the file and
     * the line.
     *
     * @param location the journal
     * @param space    the space its architectures belong to
     * @return the header's fields and the trials, by id
     * @throws java.nio.file.NoSuchFileException if there is no journal at {@code location}
     */
    public static Contents read(Path location, SearchSpace space) throws IOException {
        Path file = fileOf(location);
        byte[] bytes = Files.readAllBytes(file);
        int whole = JournalRepair.lastLineEnd(bytes) + 1;
        Map<String, String> header = new LinkedHashMap<>();
        Map<Integer, Trial> trials = new TreeMap<>();
        read(file, new String(bytes, 0, whole, StandardCharsets.UTF_8), null, header, space, trials);
        if (header.isEmpty()) {
            throw new JournalMismatchException(file + ": no header line");
        }
        return new Contents(file, Collections.unmodifiableMap(header), List.copyOf(trials.values()));
    }

    /** The journal file at {@code location}: the location itself if it names a {@code .jsonl} file, else its
     * {@value #FILE_NAME}. */
    public static Path fileOf(Path location) {
        return location.toString().endsWith(".jsonl") ? location : location.resolve(FILE_NAME);
    }

    /**
     * The header's fields of the journal at {@code location} (e.g. {@code space}, to know which space to read it
     * with), without reading its trials.
     *
     * @throws JournalMismatchException if its first line is not a header
     */
    public static Map<String, String> readHeader(Path location) throws IOException {
        Path file = fileOf(location);
        String first;
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = in.readLine();
        }
        JsonNode n;
        try {
            n = first == null ? null : JSON.readTree(first);
        } catch (JsonProcessingException e) {
            n = null;
        }
        if (n == null || !n.path("type").asText().equals("header")) {
            throw new JournalMismatchException(file + ", line 1: expected the header line, but was "
                    + (first == null ? "an empty file" : prefix(first)));
        }
        Map<String, String> header = new LinkedHashMap<>();
        copyHeader(n, header);
        return Collections.unmodifiableMap(header);
    }

    /**
     * A journal as {@link #read} found it.
     *
     * @param file   the file read
     * @param header the header's fields ({@code space}, {@code strategy}, {@code estimator}, {@code objective},
     *               {@code seed}, {@code parallelism})
     * @param trials the finished trials in id order
     */
    public record Contents(Path file, Map<String, String> header, List<Trial> trials) {
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** The trials read back when the journal was opened, by id. */
    public Map<Integer, Trial> recorded() {
        return Collections.unmodifiableMap(recorded);
    }

    /** Appends a finished trial and flushes it to the file. */
    public synchronized void append(Trial trial) {
        if (trial.state() == TrialState.RUNNING) {
            throw new IllegalArgumentException("only finished trials are journaled, but trial " + trial.id()
                    + " is RUNNING");
        }
        writeLine(TrialCodec.toJson(trial));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private synchronized void writeLine(ObjectNode node) {
        try {
            out.write((JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write journal " + file, e);
        }
    }

    /** Reads whole lines; checks the header against {@code expected} unless it is null, and copies its fields. */
    private static void read(Path file, String content, JournalHeader expected, Map<String, String> header,
                             SearchSpace space, Map<Integer, Trial> recorded) {
        String[] lines = content.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new JournalMismatchException(file + ", line " + (i + 1) + ": not valid JSON: "
                        + e.getOriginalMessage() + " (line starts with '" + prefix(line) + "')");
            }
            String type = n.path("type").asText();
            if (i == 0) {
                if (!type.equals("header")) {
                    throw new JournalMismatchException(file + ", line 1: expected the header line, but was "
                            + prefix(line));
                }
                copyHeader(n, header);
                if (expected != null) {
                    checkHeader(file, n, expected);
                }
            } else if (type.equals("trial")) {
                try {
                    Trial t = TrialCodec.fromJson(n, space);
                    recorded.put(t.id(), t);
                } catch (RuntimeException e) {
                    throw new JournalMismatchException(file + ", line " + (i + 1) + ": cannot read trial: "
                            + e.getMessage());
                }
            } else {
                throw new JournalMismatchException(file + ", line " + (i + 1) + ": unknown line type '" + type + "'");
            }
        }
    }

    private static void copyHeader(JsonNode headerLine, Map<String, String> header) {
        headerLine.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("type")) {
                header.put(f.getKey(), f.getValue().asText());
            }
        });
    }

    private static String prefix(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }

    private static void checkHeader(Path file, JsonNode n, JournalHeader header) {
        for (Map.Entry<String, String> f : header.fields().entrySet()) {
            String written = n.path(f.getKey()).asText(null);
            if (!f.getValue().equals(written)) {
                throw new JournalMismatchException("journal " + file + " was written for another search: "
                        + HeaderMismatch.describe(f.getKey(), written, f.getValue())
                        + ". Use another journal location, or the same configuration to resume.");
            }
        }
    }
}
