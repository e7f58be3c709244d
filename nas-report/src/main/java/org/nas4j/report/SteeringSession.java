package org.nas4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.SpaceRestriction;

/**
 * The directory of a steered search: rounds of one-shot (or any) search, each on the space restricted by what an
 * analyst removed or pinned after the rounds before it.
 *
 * <pre>
 * DIR/restrictions.jsonl      one line per restriction: {"type":"restriction","round":2,"who":"ana","at":"...",
 *                             "removed":{"edge 1&lt;-0":["none"]},"pinned":{}}
 * DIR/round-1/journal.jsonl   the journal of round 1 (a plain SearchRunner journal)
 * DIR/round-2/journal.jsonl   round 2, on the space restricted by the last restriction recorded for round &lt;= 2
 * </pre>
 *
 * A restriction line holds the whole restriction in force from its round on (not a change to the one before), and
 * the last line recorded for a round before the round starts is the one it runs on. Rerunning every round with
 * the same {@link RoundRunner} (see {@link #replay}) reproduces the search: each complete round's journal is
 * reloaded, a cut one resumes. Methods are safe to call from several threads.
 */
public final class SteeringSession {
    /** The file of the restrictions, in the session's directory: {@value}. */
    public static final String RESTRICTIONS = "restrictions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;
    private final SearchSpace space;

    /**
     * A session in {@code directory} (created when the first round starts or the first restriction is recorded) over
     * {@code space}, the unrestricted space.
     */
    public SteeringSession(Path directory, SearchSpace space) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.space = Objects.requireNonNull(space, "space");
    }

    /** The session's directory. */
    public Path directory() {
        return directory;
    }

    /** The unrestricted space. */
    public SearchSpace space() {
        return space;
    }

    /** The journal directory of round {@code round}: {@code DIR/round-<round>}. */
    public Path journal(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, but was " + round);
        }
        return directory.resolve("round-" + round);
    }

    /** The rounds started so far (those with a journal directory), 1, 2, ... in order. */
    public synchronized List<Integer> rounds() {
        List<Integer> out = new ArrayList<>();
        for (int r = 1; Files.isDirectory(journal(r)); r++) {
            out.add(r);
        }
        return out;
    }

    /** The round that starts next: one after the last round started. */
    public synchronized int nextRound() {
        return rounds().size() + 1;
    }

    /** One restriction as recorded: who made it, when, and for which round on. */
    public record Record(int round, String who, Instant at, SpaceRestriction restriction) {
    }

    /** The restrictions recorded so far, in the order they were recorded. */
    public synchronized List<Record> records() {
        Path file = directory.resolve(RESTRICTIONS);
        List<Record> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    out.add(parse(file, i + 1, JSON.readTree(lines.get(i))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** The restriction round {@code round} runs on: the last one recorded for it or an earlier round; none if none. */
    public SpaceRestriction restriction(int round) {
        SpaceRestriction in = SpaceRestriction.none();
        for (Record r : records()) {
            if (r.round() <= round) {
                in = r.restriction();
            }
        }
        return in;
    }

    /**
     * Records {@code restriction} for the next round (and the rounds after it), made by {@code who}; an exception
     * naming the choice or option when it does not fit the space.
     *
     * @return the round it applies from
     */
    public synchronized int restrict(SpaceRestriction restriction, String who) {
        Objects.requireNonNull(restriction, "restriction");
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("who must name the analyst, but was '" + who + "'");
        }
        restriction.applyTo(space); // refuses names the space does not have
        int round = nextRound();
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "restriction");
        line.put("round", round);
        line.put("who", who);
        line.put("at", Instant.now().toString());
        ObjectNode removed = line.putObject("removed");
        restriction.removed().forEach((choice, options) -> {
            ArrayNode list = removed.putArray(choice);
            options.stream().sorted().forEach(list::add);
        });
        ObjectNode pinned = line.putObject("pinned");
        restriction.pinned().forEach(pinned::put);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(RESTRICTIONS), JSON.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(RESTRICTIONS), e);
        }
        return round;
    }

    /**
     * Runs round {@code round} (a round already started, or the next one) on its restriction with {@code runner}.
     * The round counts as started, and later restrictions apply to the round after it, from the moment this is
     * called.
     */
    public SearchResult run(int round, RoundRunner runner) throws Exception {
        Objects.requireNonNull(runner, "runner");
        SearchSpace restricted;
        synchronized (this) {
            if (round < 1 || round > nextRound()) {
                throw new IllegalArgumentException("round must be in [1, nextRound=" + nextRound() + "], but was "
                        + round);
            }
            restricted = restriction(round).applyTo(space);
            Files.createDirectories(journal(round));
        }
        return runner.run(restricted, journal(round), round);
    }

    /**
     * Runs every round that has a journal again, in order, on its recorded restriction (complete rounds reload their
     * journals); returns their results.
     */
    public List<SearchResult> replay(RoundRunner runner) throws Exception {
        List<SearchResult> out = new ArrayList<>();
        for (int round : rounds()) {
            out.add(run(round, runner));
        }
        return out;
    }

    private static Record parse(Path file, int line, JsonNode n) {
        String where = file + ", line " + line;
        if (!"restriction".equals(n.path("type").asText()) || !n.path("round").canConvertToInt()) {
            throw new IllegalStateException(where + ": expected a restriction line with a round, but was " + n);
        }
        Map<String, Set<String>> removed = new LinkedHashMap<>();
        n.path("removed").fields().forEachRemaining(f -> {
            Set<String> options = new LinkedHashSet<>();
            f.getValue().forEach(o -> options.add(o.asText()));
            removed.put(f.getKey(), options);
        });
        Map<String, String> pinned = new LinkedHashMap<>();
        n.path("pinned").fields().forEachRemaining(f -> pinned.put(f.getKey(), f.getValue().asText()));
        return new Record(n.path("round").asInt(), n.path("who").asText(), Instant.parse(n.path("at").asText()),
                new SpaceRestriction(removed, pinned));
    }
}
