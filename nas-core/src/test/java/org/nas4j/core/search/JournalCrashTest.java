package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalMismatchException;

/**
 * Fault injection on the journal: a search killed while writing a line, at every byte of that line, resumes,
 * finishes, and resumes again, ending exactly as a search that was never killed, with no finished trial lost or
 * evaluated twice.
 */
class JournalCrashTest {
    private static final int WRITTEN = 24;
    private static final int TOTAL = 36;
    private static final long SEED = 13;
    private static final Metric ENERGY = Metric.custom("energy_mj", Metric.Direction.MINIMIZE);
    private static final Metric HOLDOUT = Metric.reportOnly("holdout_acc", Metric.Direction.MAXIMIZE);
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private final ToySpace space = new ToySpace(6, 4);

    /** Deterministic metrics from the architecture and the seed (a custom and a report-only one among them). */
    private static final class CountingEstimator implements Estimator {
        final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public String description() {
            return "counting";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            calls.computeIfAbsent(r.trialId(), id -> new AtomicInteger()).incrementAndGet();
            double v = ToySpace.score(r.architecture()) + Math.floorMod(r.seed(), 1000) / 1000.0;
            return Evaluation.of(Metric.VALIDATION_ACCURACY, v).with(Metric.TEST_ACCURACY, v - 1)
                    .with(ENERGY, 50 - v).with(HOLDOUT, v / 2);
        }

        /** The ids evaluated, each of which must have been evaluated exactly once. */
        Set<Integer> evaluatedOnce() {
            calls.forEach((id, n) -> assertEquals(1, n.get(), "trial " + id + " was evaluated " + n + " times"));
            return new TreeSet<>(calls.keySet());
        }
    }

    private SearchResult run(int trials, CountingEstimator estimator, Path journal) {
        SearchRunner.Builder b = SearchRunner.builder(space, new GreedyToyStrategy()).estimator(estimator)
                .budget(Budget.trials(trials)).parallelism(2).seed(SEED);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    /** Every trial with every metric's name, direction and visibility; timing left out. */
    static List<String> summary(SearchResult r) {
        List<String> s = new ArrayList<>();
        for (Trial t : r.trials()) {
            StringBuilder line = new StringBuilder(t.id() + " " + t.architecture() + " " + t.state() + " " + t.seed());
            t.metrics().forEach((m, v) -> line.append(' ').append(m.name()).append('/').append(m.direction())
                    .append(m.visibleToStrategy() ? "/visible=" : "/hidden=").append(v));
            s.add(line.toString());
        }
        return s;
    }

    private static Set<Integer> range(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    private static int lastLineStart(byte[] bytes) {
        for (int i = bytes.length - 2; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void aCutAtEveryByteOfTheLastLineSurvivesTwoResumes(@TempDir Path dir) throws IOException {
        List<String> uninterrupted = summary(run(TOTAL, new CountingEstimator(), null));
        Path written = dir.resolve("written");
        run(WRITTEN, new CountingEstimator(), written);
        byte[] bytes = Files.readAllBytes(written.resolve(Journal.FILE_NAME));
        int start = lastLineStart(bytes);
        String last = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        assertTrue(last.contains("\"metric_defs\""), last);
        Matcher m = ID.matcher(last);
        assertTrue(m.find(), last);
        int lastId = Integer.parseInt(m.group(1));

        int crashes = 0;
        for (int cut = start; cut <= bytes.length; cut++) {
            Path journal = dir.resolve("cut-" + cut).resolve(Journal.FILE_NAME);
            Files.createDirectories(journal.getParent());
            Files.write(journal, Arrays.copyOf(bytes, cut));
            // a line is a finished record once its closing brace is written, with or without its line end
            Set<Integer> lost = cut >= bytes.length - 1 ? Set.of() : Set.of(lastId);
            Set<Integer> toEvaluate = range(TOTAL);
            toEvaluate.removeAll(range(WRITTEN));
            toEvaluate.addAll(lost);

            CountingEstimator first = new CountingEstimator();
            assertEquals(uninterrupted, summary(run(TOTAL, first, journal)), "cut at byte " + cut);
            assertEquals(toEvaluate, first.evaluatedOnce(), "cut at byte " + cut);

            CountingEstimator second = new CountingEstimator();
            assertEquals(uninterrupted, summary(run(TOTAL, second, journal)), "second resume, cut at byte " + cut);
            assertEquals(Set.of(), second.evaluatedOnce(), "second resume, cut at byte " + cut);
            assertEquals(TOTAL + 1, Files.readAllLines(journal).size(), "cut at byte " + cut);
            crashes++;
        }
        assertEquals(bytes.length - start + 1, crashes);
        assertTrue(crashes > 200, "the last line should be a few hundred bytes, but was " + crashes);
        System.out.printf("JournalCrashTest: %d cuts of a %d-byte last line, each resumed twice, trials lost 0, "
                + "results equal%n", crashes, bytes.length - start);
    }

    @Test
    void aCutHeaderStartsAFreshJournal(@TempDir Path dir) throws IOException {
        List<String> uninterrupted = summary(run(TOTAL, new CountingEstimator(), null));
        Path written = dir.resolve("written");
        run(1, new CountingEstimator(), written);
        String header = Files.readAllLines(written.resolve(Journal.FILE_NAME)).get(0);
        for (int cut : new int[] {1, header.length() / 2, header.length() - 1}) {
            Path journal = dir.resolve("header-" + cut).resolve(Journal.FILE_NAME);
            Files.createDirectories(journal.getParent());
            Files.writeString(journal, header.substring(0, cut), StandardCharsets.UTF_8);
            CountingEstimator e = new CountingEstimator();
            assertEquals(uninterrupted, summary(run(TOTAL, e, journal)), "header cut at " + cut);
            assertEquals(range(TOTAL), e.evaluatedOnce());
            assertEquals(header, Files.readAllLines(journal).get(0), "a fresh header is written");
            assertEquals(Set.of(), new CountingEstimator().evaluatedOnce());
            CountingEstimator again = new CountingEstimator();
            assertEquals(uninterrupted, summary(run(TOTAL, again, journal)));
            assertEquals(Set.of(), again.evaluatedOnce());
        }
    }

    @Test
    void aWholeHeaderWithoutItsLineEndIsKept(@TempDir Path dir) throws IOException {
        Path written = dir.resolve("written");
        run(1, new CountingEstimator(), written);
        String header = Files.readAllLines(written.resolve(Journal.FILE_NAME)).get(0);
        Path journal = dir.resolve("whole").resolve(Journal.FILE_NAME);
        Files.createDirectories(journal.getParent());
        Files.writeString(journal, header, StandardCharsets.UTF_8);
        run(5, new CountingEstimator(), journal);
        List<String> lines = Files.readAllLines(journal);
        assertEquals(6, lines.size());
        assertEquals(header, lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"type\":\"trial\""), lines.get(1));
    }

    @Test
    void aCorruptLineInTheMiddleIsANamedError(@TempDir Path dir) throws IOException {
        Path written = dir.resolve("written");
        run(WRITTEN, new CountingEstimator(), written);
        Path file = written.resolve(Journal.FILE_NAME);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(9, lines.get(9).substring(0, 30));
        Files.write(file, lines);
        JournalMismatchException e = assertThrows(JournalMismatchException.class,
                () -> run(WRITTEN, new CountingEstimator(), written));
        assertTrue(e.getMessage().startsWith(file + ", line 10: not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(line starts with '" + lines.get(9) + "')"), e.getMessage());
    }

    @Test
    void theJournalIsWrittenInIdOrderOfCompletionAndEveryTrialOnce(@TempDir Path dir) throws IOException {
        run(WRITTEN, new CountingEstimator(), dir);
        Map<Integer, Integer> seen = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve(Journal.FILE_NAME)).subList(1, WRITTEN + 1)) {
            Matcher m = ID.matcher(line);
            assertTrue(m.find(), line);
            seen.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
        }
        assertEquals(range(WRITTEN), seen.keySet());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), seen.toString());
    }
}
