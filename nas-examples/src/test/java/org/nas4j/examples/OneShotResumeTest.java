package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OneShotBenchmark}'s {@code --out} directory ({@link BenchmarkDirectory}): finished parts are replayed and
 * counted by the outcomes, a part whose lines are missing resumes from its journal or checkpoint to the same result,
 * and a directory of other settings is refused.
 */
class OneShotResumeTest {
    /** A gradient method (journal and strategy checkpoint) and a sampling one (supernet checkpoint). */
    private static final String[] ARGS = {"--table", ShippedTableTest.TABLE.toString(), "--methods", "gdas,rsws",
        "--seeds", "1", "--epochs", "2", "--steps", "2", "--batch", "16", "--candidates", "2", "--rank-cells", "5",
        "--table-steps", "2"};

    @Test
    void aRunAgainReplaysTheFinishedPartsAndCountsThemInTheOutcomes(@TempDir Path dir) throws Exception {
        String first = run(dir);
        Path rsws = dir.resolve("finished/seed1-rsws.txt");
        assertEquals(lines(first, "rsws"), Files.readAllLines(rsws), "the part's lines, as printed");
        assertEquals(lines(first, "gdas"), Files.readAllLines(dir.resolve("finished/seed1-gdas.txt")));
        assertEquals(2, lines(first, "gdas").stream().filter(l -> l.startsWith("EPOCH ")).count(), first);

        // a doctored line shows that the second run reads the directory instead of searching again
        List<String> doctored = Files.readAllLines(rsws).stream()
                .map(l -> l.replaceFirst(" retrain_valid=[0-9.]+ ", " retrain_valid=12.34 ")).toList();
        Files.write(rsws, doctored);
        String second = run(dir);
        assertEquals(lines(first, "gdas"), lines(second, "gdas"), "replayed, seconds included");
        assertEquals(doctored, lines(second, "rsws"));
        assertTrue(second.contains("\nOUTCOME method=rsws seeds=1 mean_valid=12.34 stderr=NaN "), second);
        assertEquals(outcome(first, "OUTCOME_RANK method=rsws"), outcome(second, "OUTCOME_RANK method=rsws"));
    }

    @Test
    void aPartWithoutItsLinesResumesFromItsJournalAndCheckpointToTheSameResult(@TempDir Path dir)
            throws Exception {
        String uninterrupted = StandardOutput.of(() -> OneShotBenchmark.main(ARGS));
        run(dir);
        // as if killed after the searches and before the lines were kept: only the running state is left
        try (Stream<Path> finished = Files.list(dir.resolve("finished"))) {
            for (Path f : finished.toList()) {
                Files.delete(f);
            }
        }
        Path checkpoint = dir.resolve("running/seed1-rsws/supernet-checkpoint.bin");
        assertTrue(Files.exists(checkpoint), "the sampling supernet's checkpoint");
        assertTrue(Files.exists(dir.resolve("running/seed1-gdas/journal.jsonl")), "the gradient search's journal");
        String resumed = run(dir);
        for (String method : new String[] {"gdas", "rsws"}) {
            assertEquals(withoutSeconds(lines(uninterrupted, method)), withoutSeconds(lines(resumed, method)),
                    resumed);
        }

        // the checkpoint is read: a damaged one is refused, naming it
        Files.delete(dir.resolve("finished/seed1-rsws.txt"));
        Files.write(checkpoint, Arrays.copyOf(Files.readAllBytes(checkpoint), 40));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> run(dir));
        assertEquals("supernet checkpoint " + checkpoint, e.getMessage());
    }

    @Test
    void refusesADirectoryOfAnotherRunsSettingsNamingTheOption(@TempDir Path dir) {
        BenchmarkDirectory.open(dir, Map.of("--epochs", "2", "--steps", "40"));
        BenchmarkDirectory.open(dir, Map.of("--steps", "40", "--epochs", "2"));     // the same: resumes
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkDirectory.open(dir, Map.of("--epochs", "3", "--steps", "40")));
        assertEquals("--out: " + dir + " holds a run with --epochs=2, but this run has --epochs=3; give the same "
                + "settings to resume it, or another --out", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkDirectory.open(dir, Map.of("--epochs", "2", "--steps", "40", "--batch", "64")));
        assertEquals("--out: " + dir + " holds a run with no --batch, but this run has --batch=64; give the same "
                + "settings to resume it, or another --out", e.getMessage());
        // through the benchmark: every option but --out, --methods and --seeds counts, defaults included (the
        // first of them in name order is named)
        String[] other = Stream.concat(Arrays.stream(ARGS), Stream.of("--out", dir.toString())).toArray(String[]::new);
        e = assertThrows(IllegalArgumentException.class, () -> OneShotBenchmark.main(other));
        assertTrue(e.getMessage().startsWith("--out: " + dir + " holds a run with no --baseline-cells, but this run "
                + "has --baseline-cells=0; "), e.getMessage());
    }

    @Test
    void refusesADirectoryWhoseTableFileChangedAtTheSamePath(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("table.csv");
        Files.copy(ShippedTableTest.TABLE, table);
        String[] args = Stream.concat(Arrays.stream(ARGS).map(v -> v.equals(ShippedTableTest.TABLE.toString())
                ? table.toString() : v.equals("gdas,rsws") ? "rsws" : v),
                Stream.of("--out", dir.resolve("out").toString())).toArray(String[]::new);
        StandardOutput.of(() -> OneShotBenchmark.main(args));
        // the first cell's validation accuracy changed: the same options, another table
        List<String> changed = Files.readAllLines(table);
        changed.set(1, changed.get(1).replaceFirst(",([0-9.]+),([0-9.]+)$", ",1.0000,$2"));
        Files.write(table, changed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardOutput.of(() -> OneShotBenchmark.main(args)));
        assertTrue(e.getMessage().startsWith("--out: " + dir.resolve("out") + " holds a run with table-sha256="),
                e.getMessage());
        assertTrue(e.getMessage().contains(", but this run has table-sha256="), e.getMessage());
    }

    private static String run(Path dir) throws Exception {
        String[] args = Stream.concat(Arrays.stream(ARGS), Stream.of("--out", dir.toString()))
                .toArray(String[]::new);
        return StandardOutput.of(() -> OneShotBenchmark.main(args));
    }

    /** The lines a method's part printed (its EPOCH, REJECTED, RANK and RESULT lines). */
    private static List<String> lines(String out, String method) {
        return out.lines().filter(l -> l.matches("^[A-Z_]+ method=" + method + " .*") && !l.startsWith("OUTCOME"))
                .toList();
    }

    private static List<String> withoutSeconds(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(" (search_seconds|epoch_seconds)=[0-9.]+", ""))
                .collect(Collectors.toList());
    }

    private static String outcome(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix + " ")).findFirst().orElseThrow();
    }
}
