package org.nas4j.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trial journal: one JSON line per finished trial, appended and flushed before the strategy hears of the
 * trial, after a header line that says what search it belongs to. Opening an existing journal reads its trials
 * back so that a killed search resumes without evaluating them again. Thread-safe.
 *
 * <p>File format (JSON lines): {@code {"type":"header","space":...,"strategy":...,...}} then
 * {@code {"type":"trial","id":0,"architecture":"...","state":"COMPLETE","metrics":{"valid_acc":91.2},...}}, with
 * {@code "parent":id} when the trial inherited from an earlier one (absent otherwise, and in journals written
 * before parents existed).
 */
public final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file name used inside a journal directory. */
    public static final String FILE_NAME = "journal.jsonl";

    private final Path file;
    private final Map<Integer, Trial> recorded;
    private final BufferedWriter out;

    private Journal(Path file, Map<Integer, Trial> recorded, BufferedWriter out) {
        this.file = file;
        this.recorded = recorded;
        this.out = out;
    }

    /**
     * Opens the journal at {@code location} (a {@code .jsonl} file, or a directory that gets a
     * {@value #FILE_NAME}), creating it with {@code header} if it does not exist, or reading its trials back if it
     * does. An existing journal with a different header is refused with an exception naming the field.
     */
    public static Journal open(Path location, JournalHeader header, SearchSpace space) throws IOException {
        Path file = location.toString().endsWith(".jsonl") ? location : location.resolve(FILE_NAME);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Map<Integer, Trial> recorded = new TreeMap<>();
        boolean exists = Files.exists(file) && Files.size(file) > 0;
        if (exists) {
            read(file, header, space, recorded);
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Journal journal = new Journal(file, recorded, out);
        if (!exists) {
            ObjectNode h = JSON.createObjectNode();
            h.put("type", "header");
            header.fields().forEach(h::put);
            journal.writeLine(h);
        }
        return journal;
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
        writeLine(toJson(trial));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private synchronized void writeLine(ObjectNode node) {
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write journal " + file, e);
        }
    }

    static ObjectNode toJson(Trial t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "trial");
        n.put("id", t.id());
        n.put("architecture", t.architecture().toString());
        n.put("state", t.state().name());
        ObjectNode metrics = n.putObject("metrics");
        t.metrics().forEach((m, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(m.name(), v);
            } else {
                metrics.put(m.name(), v.toString());
            }
        });
        n.put("reason", t.reason());
        n.put("seed", t.seed());
        n.put("fidelity", t.fidelity());
        n.put("seconds", t.seconds());
        t.parent().ifPresent(p -> n.put("parent", p));
        return n;
    }

    static Trial fromJson(JsonNode n, SearchSpace space) {
        Architecture a = space.parse(n.get("architecture").asText());
        Map<Metric, Double> metrics = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.get("metrics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            metrics.put(Metric.named(e.getKey()), v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText()));
        }
        return new Trial(n.get("id").asInt(), a, TrialState.valueOf(n.get("state").asText()), metrics,
                n.get("reason").asText(), n.get("seed").asLong(), n.get("fidelity").asDouble(),
                n.get("seconds").asDouble(), parent(n));
    }

    /** The trial's parent; journals written before parents existed have no such field: no parent. */
    private static OptionalInt parent(JsonNode n) {
        JsonNode p = n.get("parent");
        if (p == null || p.isNull()) {
            return OptionalInt.empty();
        }
        if (!p.canConvertToInt() || !p.isIntegralNumber()) {
            throw new IllegalArgumentException("parent must be a trial id, but was " + p);
        }
        return OptionalInt.of(p.asInt());
    }

    private static void read(Path file, JournalHeader header, SearchSpace space, Map<Integer, Trial> recorded)
            throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    LOG.warn("{}: ignoring the incomplete last line {} (the search was killed while writing it)",
                            file, i + 1);
                    continue;
                }
                throw new JournalMismatchException(file + ", line " + (i + 1) + ": not valid JSON: " + e.getMessage());
            }
            String type = n.path("type").asText();
            if (i == 0) {
                if (!type.equals("header")) {
                    throw new JournalMismatchException(file + ", line 1: expected the header line, but was " + line);
                }
                checkHeader(file, n, header);
            } else if (type.equals("trial")) {
                try {
                    Trial t = fromJson(n, space);
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
