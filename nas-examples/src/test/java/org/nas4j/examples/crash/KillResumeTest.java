package org.nas4j.examples.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;

/**
 * kill -9 of a real-training search, 20 times in a row, each time resumed from its journal: no finished trial is
 * lost or evaluated twice, and the result equals that of a search that was never killed, trial for trial.
 */
class KillResumeTest {
    /** Each kill lets the journal grow by at most 2 lines (3 in a rare race), so 20 kills leave trials to do. */
    private static final int TRIALS = 48;
    private static final int KILLS = 20;
    private static final Pattern ID = Pattern.compile("\"type\":\"trial\",\"id\":(\\d+)");

    /**
     * A child JVM running {@link CrashableSearch}, one native thread, a small heap, its log in {@code log}; the
     * client compiler and serial GC start it in about 2 s instead of 3 here, and leave the results unchanged.
     */
    private static Process start(Path journal, Path result, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CrashableSearch.class.getName(),
                journal.toString(), Integer.toString(TRIALS), result.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static List<String> runToTheEnd(Path journal, Path result, Path log) throws Exception {
        Process p = start(journal, result, log);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the search did not end in 120 s");
        assertEquals(0, p.exitValue(), () -> "the search failed; its log:\n" + read(log));
        return Files.readAllLines(result);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The whole lines of the journal: those ended by a line end (a kill may have cut the last one). */
    private static List<String> wholeLines(Path journal) throws IOException {
        Path file = journal.resolve(Journal.FILE_NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        String s = Files.readString(file);
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }

    @Test
    @Timeout(300)
    void twentyKillsInARowLoseNothingAndEndAsAnUninterruptedSearch(@TempDir Path dir) throws Exception {
        long start = System.nanoTime();
        List<String> uninterrupted = runToTheEnd(dir.resolve("reference"), dir.resolve("reference.txt"),
                dir.resolve("reference.log"));
        assertEquals(TRIALS, uninterrupted.size());
        long referenceNanos = System.nanoTime() - start;

        Path journal = dir.resolve("killed");
        SplittableRandom moments = new SplittableRandom(20261205);
        List<String> before = List.of();
        int evaluatedBeforeKills = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            // the moment: a random time (0 to 250 ms) after the journal has grown by one line, or at once when it
            // has grown by a second one: in training, in the journal write, or between trials
            long delayNanos = moments.nextLong(250_000_000L);
            Path log = dir.resolve("kill-" + kill + ".log");
            Process p = start(journal, dir.resolve("unused.txt"), log);
            int grown = Math.max(before.size(), 1) + 1;
            while (wholeLines(journal).size() < grown && p.isAlive()) {
                Thread.sleep(5);
            }
            long grownAt = System.nanoTime();
            while (System.nanoTime() - grownAt < delayNanos && wholeLines(journal).size() < grown + 1
                    && p.isAlive()) {
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "kill " + kill + ": the search ended before it was killed; raise TRIALS. Log:\n"
                    + read(log));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertNotEquals(0, p.exitValue());
            List<String> after = wholeLines(journal);
            assertEquals(before, after.subList(0, before.size()), "kill " + kill + ": journal lines were lost");
            before = after;
            evaluatedBeforeKills = after.size() - 1;
        }
        List<String> resumed = runToTheEnd(journal, dir.resolve("resumed.txt"), dir.resolve("resumed.log"));
        assertEquals(uninterrupted, resumed);

        List<String> lines = wholeLines(journal);
        assertEquals(TRIALS + 1, lines.size(), "one header and one line per trial: no trial journaled twice");
        TreeSet<Integer> ids = new TreeSet<>();
        for (String line : lines.subList(1, lines.size())) {
            Matcher m = ID.matcher(line);
            assertTrue(m.find(), line);
            assertTrue(ids.add(Integer.parseInt(m.group(1))), "trial journaled twice: " + line);
        }
        assertEquals(TRIALS, ids.size());
        System.out.printf("KillResumeTest: %d kills, %d of %d trials journaled before the last resume; reference "
                        + "search %.1f s, whole test %.1f s%n", KILLS, evaluatedBeforeKills, TRIALS,
                referenceNanos / 1e9, (System.nanoTime() - start) / 1e9);
    }
}
