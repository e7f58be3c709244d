package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Nas4jCliTest {

    /** Exit code, standard output and standard error of one command line. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Nas4jCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void searchesJournalsAndReports(@TempDir Path dir) {
        Path journal = dir.resolve("j");
        Path report = dir.resolve("search.html");
        Run search = run("search", "--space", "nas-bench-201", "--strategy", "rea", "--trials", "30", "--seed", "3",
                "--journal", journal.toString(), "--report", report.toString());
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().contains("RESULT space=nas-bench-201 strategy=rea trials=30 best=|"), search.out());
        assertTrue(search.out().strip().endsWith("REPORT " + report.toAbsolutePath()), search.out());
        assertTrue(Files.exists(report));

        Path again = dir.resolve("again.html");
        Run fromJournal = run("report", journal.toString(), "--out", again.toString());
        assertEquals(0, fromJournal.code(), fromJournal.err());
        assertEquals("REPORT " + again.toAbsolutePath(), fromJournal.out().strip());
        assertTrue(Files.exists(again));
    }

    @Test
    void listsSpacesAndStrategiesAndHelps() {
        Run spaces = run("spaces");
        assertTrue(spaces.out().contains("nas-bench-201"), spaces.out());
        Run strategies = run("strategies");
        assertTrue(strategies.out().contains("rea ") && strategies.out().contains("hyperband"), strategies.out());
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("search") && help.out().contains("report") && help.out().contains("spaces"),
                help.out());
        Run searchHelp = run("search", "--help");
        assertTrue(searchHelp.out().contains("--estimator"), searchHelp.out());
    }

    @Test
    void badInputIsNamed() {
        Run estimator = run("search", "--estimator", "oracle");
        assertEquals(2, estimator.code());
        assertTrue(estimator.err().contains("--estimator must be table, training or zero-cost, but was 'oracle'"),
                estimator.err());
        Run strategy = run("search", "--strategy", "annealing");
        assertTrue(strategy.err().contains("unknown strategy 'annealing'"), strategy.err());
        Run option = run("search", "--trails", "3");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("--trails"), option.err());
    }
}
