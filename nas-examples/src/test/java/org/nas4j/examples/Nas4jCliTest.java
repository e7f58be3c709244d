package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
    void dataEstimatorsSearchTheSpaceSetUpForTheShippedData(@TempDir Path dir) {
        Run zeroCost = run("search", "--estimator", "zero-cost", "--strategy", "rs", "--trials", "3",
                "--parallelism", "1", "--journal", dir.resolve("z").toString());
        assertEquals(0, zeroCost.code(), zeroCost.err());
        assertTrue(zeroCost.out().matches("(?s).*RESULT space=nas-bench-201 strategy=rs trials=3 best=\\|.* "
                + "synflow=[0-9.]+.*"), "every trial scored on 1x28x28 images: " + zeroCost.out());
        Run darts = run("search", "--estimator", "training", "--space", "darts", "--trials", "1");
        assertEquals(2, darts.code(), darts.out() + darts.err());
        assertTrue(darts.err().contains("--estimator training trains on the shipped Fashion-MNIST (1x28x28 images), "
                + "for which only --space nas-bench-201 is set up, but --space was 'darts'"), darts.err());
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

    @Test
    void dashboardServesOnLoopbackWithATokenAndRunsRounds(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread serving = new Thread(() -> Nas4jCli.run(new String[] {"dashboard", "--journal", dir.toString(),
                "--port", "0", "--trials", "12", "--parallelism", "1"}, new PrintWriter(out, true),
                new PrintWriter(err, true)), "dashboard-under-test");
        serving.setDaemon(true);
        serving.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!out.toString().contains("TOKEN ")) {
                assertTrue(System.nanoTime() < deadline, "no TOKEN line in 30 s; err: " + err);
                Thread.sleep(50);
            }
            String[] lines = out.toString().strip().split("\\R");
            assertTrue(lines[0].startsWith("DASHBOARD http://127.0.0.1:"), lines[0]);
            URI page = URI.create(lines[0].substring("DASHBOARD ".length()));
            String token = lines[1].substring("TOKEN ".length());
            assertEquals("token=" + token, page.getFragment());

            HttpClient http = HttpClient.newHttpClient();
            URI rounds = page.resolve("/api/rounds");
            assertEquals(403, http.send(HttpRequest.newBuilder(rounds).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "no token");
            assertEquals(202, http.send(HttpRequest.newBuilder(rounds).header("X-Nas4j-Token", token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            Path journal = dir.resolve("round-1").resolve("journal.jsonl");
            while (!(Files.exists(journal) && Files.readAllLines(journal).size() == 1 + 12)) {
                assertTrue(System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos(),
                        "round 1 did not journal 12 trials");
                Thread.sleep(100);
            }
        } finally {
            serving.interrupt();
            serving.join(10_000);
        }
        assertFalse(serving.isAlive(), "the dashboard stops when its thread is interrupted");
    }

    @Test
    void architectureAndGenotypeAreCommandsToo() {
        Run architecture = run("architecture", "proxyless-gpu");
        assertEquals(0, architecture.code(), architecture.err());
        assertTrue(architecture.out().startsWith("params=7119848 flops=465260160"), architecture.out());
        Run genotype = run("genotype", "DARTS_V2", "--auxiliary");
        assertEquals(0, genotype.code(), genotype.err());
        assertTrue(genotype.out().startsWith("params=3825768 "), genotype.out());
        Run unknown = run("architecture", "proxyless-tpu");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("nas4j: unknown architecture 'proxyless-tpu'"), unknown.err());
    }

    @Test
    void dashboardRunsOneShotRoundsOnATrainedSupernet(@TempDir Path dir) throws Exception {
        Run bad = run("dashboard", "--journal", dir.toString(), "--one-shot", "darts");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--one-shot must be spos, but was 'darts'"), bad.err());
        Run otherSpace = run("dashboard", "--journal", dir.toString(), "--one-shot", "spos", "--space", "darts");
        assertEquals(2, otherSpace.code());
        assertTrue(otherSpace.err().contains("but --space was 'darts'"), otherSpace.err());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread serving = new Thread(() -> Nas4jCli.run(new String[] {"dashboard", "--journal", dir.toString(),
                "--port", "0", "--one-shot", "spos", "--steps-per-epoch", "3", "--strategy", "rs",
                "--trials", "3", "--parallelism", "1"}, new PrintWriter(out, true), new PrintWriter(err, true)),
                "one-shot-dashboard-under-test");
        serving.setDaemon(true);
        serving.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!out.toString().contains("TOKEN ")) {
                assertTrue(System.nanoTime() < deadline, "no TOKEN line; err: " + err);
                Thread.sleep(50);
            }
            String[] lines = out.toString().strip().split("\\R");
            URI page = URI.create(lines[0].substring("DASHBOARD ".length()));
            String token = lines[1].substring("TOKEN ".length());
            assertEquals(202, HttpClient.newHttpClient().send(HttpRequest.newBuilder(page.resolve("/api/rounds"))
                    .header("X-Nas4j-Token", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            Path journal = dir.resolve("round-1").resolve("journal.jsonl");
            while (!(Files.exists(journal) && Files.readAllLines(journal).size() == 1 + 3)) {
                assertTrue(System.nanoTime() < deadline, "round 1 did not journal 3 trials; err: " + err);
                Thread.sleep(100);
            }
            assertTrue(Files.exists(dir.resolve("supernet").resolve("round-1.ckpt")));
            assertTrue(Files.readAllLines(journal).get(1).contains("\"state\":\"COMPLETE\""),
                    Files.readAllLines(journal).get(1));
        } finally {
            serving.interrupt();
            serving.join(10_000);
        }
    }
}
