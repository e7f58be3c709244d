package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/** The dashboard's server: loopback by default, the token on every change, the state as JSON, rounds that run. */
class DashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIALS = 20;
    private final NasBench201Space space = NasBench201Space.standard();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A round: uniform sampling from the (restricted) space, scored on the shipped NAS-Bench-201 table. */
    static RoundRunner tabularRounds(int trials) {
        return (space, journal, round) -> SearchRunner.builder(space, new SamplingStrategy("sampling"))
                .estimator(Estimators.nasBench201Cifar10()).budget(Budget.trials(trials))
                .seed(Seeds.derive(7, "round", round)).parallelism(1).journal(journal).build().run();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header(Dashboard.TOKEN_HEADER, token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnLoopbackByDefaultAndServesTheOfflinePage(@TempDir Path dir) throws Exception {
        try (Dashboard d = Dashboard.builder(new SteeringSession(dir, space)).start()) {
            assertEquals("127.0.0.1", d.uri().getHost());
            assertTrue(d.pageUri().getFragment().startsWith("token="), d.pageUri().toString());
            HttpResponse<String> page = get(d.uri());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("connect-src 'self'"), "the page may call back its own server only");
            assertTrue(page.body().contains("default-src 'none'"));
            assertFalse(page.body().contains(d.token()), "the page does not hold the token");
            assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "nothing is loaded from elsewhere");
            assertEquals(404, get(d.uri().resolve("/elsewhere")).statusCode());
        }
    }

    @Test
    void refusesAHostNameOtherThanLoopback(@TempDir Path dir) throws Exception {
        try (Dashboard d = Dashboard.builder(new SteeringSession(dir, space)).start()) {
            // what a page of another site reaches through DNS rebinding: the right address, a foreign Host header
            assertEquals(403, statusWithHost(d, "attacker.example:" + d.uri().getPort()));
            assertEquals(200, statusWithHost(d, "localhost:" + d.uri().getPort()));
        }
    }

    /** The status of a GET of the state sent with {@code host} as its Host header (written by hand on a socket). */
    private static int statusWithHost(Dashboard d, String host) throws IOException {
        try (Socket socket = new Socket(d.uri().getHost(), d.uri().getPort())) {
            socket.getOutputStream().write(("GET /api/state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void changesNeedTheToken(@TempDir Path dir) throws Exception {
        SteeringSession session = new SteeringSession(dir, space);
        try (Dashboard d = Dashboard.builder(session).runner(tabularRounds(TRIALS)).start()) {
            String body = "{\"who\":\"ana\",\"removed\":{\"edge 1<-0\":[\"none\"]},\"pinned\":{}}";
            URI restriction = d.uri().resolve("/api/restriction");
            assertEquals(403, post(restriction, null, body).statusCode(), "no token");
            assertEquals(403, post(restriction, d.token() + "x", body).statusCode(), "a wrong token");
            assertEquals(403, post(restriction, d.token().substring(1), body).statusCode(), "a shorter token");
            assertEquals(403, post(d.uri().resolve("/api/rounds"), "", "").statusCode(), "an empty token");
            assertEquals(List.of(), session.records(), "nothing recorded without the token");
            assertFalse(Files.exists(session.journal(1)), "no round started without the token");

            HttpResponse<String> ok = post(restriction, d.token(), body);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(1, JSON.readTree(ok.body()).get("round").asInt());
            assertEquals(1, session.records().size());
            assertEquals("remove edge 1<-0=[none]", session.restriction(1).text());

            HttpResponse<String> bad = post(restriction, d.token(), "{\"who\":\"ana\",\"pinned\":{\"edge 9<-0\":\"x\"}}");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("pinned names choice 'edge 9<-0'"), bad.body());
        }
    }

    @Test
    void stateReportsTheRoundsTrialsAsTheyArrive(@TempDir Path dir) throws Exception {
        SteeringSession session = new SteeringSession(dir, space);
        try (Dashboard d = Dashboard.builder(session).runner(tabularRounds(TRIALS)).start()) {
            JsonNode empty = JSON.readTree(get(d.uri().resolve("/api/state")).body());
            assertEquals(1, empty.get("nextRound").asInt());
            assertEquals(6, empty.get("choices").size(), "NAS-Bench-201's six edges");
            assertTrue(empty.path("data").isMissingNode(), "no round yet");

            HttpResponse<String> started = post(d.uri().resolve("/api/rounds"), d.token(), "");
            assertEquals(202, started.statusCode(), started.body());
            JsonNode state = awaitRoundFinished(d, 1);
            assertEquals(1, state.get("round").asInt());
            JsonNode trials = state.get("data").get("trials");
            assertEquals(TRIALS, trials.size());
            assertEquals(6, trials.get(0).get("options").size(), "each trial with its option of every choice");
            assertTrue(trials.get(0).get("metrics").has("valid_acc"));
            assertEquals(TRIALS, Journal.read(session.journal(1), space).trials().size());
        }
    }

    static JsonNode awaitRoundFinished(Dashboard d, int round) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String body = http.send(HttpRequest.newBuilder(d.uri().resolve("/api/state?round=" + round)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode state = JSON.readTree(body);
            if (state.get("running").asInt() == 0 && state.get("rounds").size() >= round) {
                assertTrue(state.get("error").isNull(), state.get("error").asText());
                return state;
            }
            assertTrue(System.nanoTime() < deadline, "round " + round + " did not finish in 60 s: " + body);
            Thread.sleep(100);
        }
    }

    @Test
    void replayingASessionReproducesItsRounds(@TempDir Path dir) throws Exception {
        SteeringSession session = new SteeringSession(dir, space);
        RoundRunner rounds = tabularRounds(TRIALS);
        session.run(1, rounds);
        session.restrict(org.nas4j.core.space.SpaceRestriction.none().remove("edge 2<-0", "none", "skip_connect")
                .pin("edge 3<-2", "nor_conv_3x3"), "ana");
        List<Trial> second = session.run(2, rounds).trials();
        for (Trial t : second) {
            assertFalse(List.of("none", "skip_connect").contains(t.architecture().option("edge 2<-0")),
                    t.architecture().toString());
            assertEquals("nor_conv_3x3", t.architecture().option("edge 3<-2"));
        }
        // a copy of the restrictions alone, rerun with the same runner, gives the same trials
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(dir.resolve(SteeringSession.RESTRICTIONS), copy.resolve(SteeringSession.RESTRICTIONS));
        SteeringSession rerun = new SteeringSession(copy, space);
        rerun.run(1, rounds);
        List<Trial> again = rerun.run(2, rounds).trials();
        assertEquals(second.stream().map(t -> t.architecture().toString()).toList(),
                again.stream().map(t -> t.architecture().toString()).toList());
        assertEquals(List.of(1, 2), rerun.rounds());
        assertEquals(2, session.replay(rounds).size(), "a replay reloads both complete rounds");
    }

    @Test
    void aPlainSearchJournalIsWatchedWithoutSteering(@TempDir Path dir) throws Exception {
        SearchRunner.builder(space, new SamplingStrategy("sampling")).estimator(Estimators.nasBench201Cifar10())
                .budget(Budget.trials(TRIALS)).seed(3).journal(dir).build().run();
        try (Dashboard d = Dashboard.builder(new SteeringSession(dir, space)).runner(tabularRounds(TRIALS)).start()) {
            JsonNode state = JSON.readTree(get(d.uri().resolve("/api/state")).body());
            assertFalse(state.get("steerable").asBoolean());
            assertEquals(TRIALS, state.get("data").get("trials").size());
            HttpResponse<String> round = post(d.uri().resolve("/api/rounds"), d.token(), "");
            assertEquals(409, round.statusCode(), round.body());
            assertFalse(Files.exists(dir.resolve("round-1")), "no round started beside a plain journal");
        }
    }
}
