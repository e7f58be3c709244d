package org.nas4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.space.SpaceRestriction;

/**
 * A live dashboard of a steered search ({@link SteeringSession}), served by the JDK's HTTP server: a page (the
 * report's offline rules: ECharts inlined, a Content-Security-Policy that allows requests to this server only) that
 * polls {@code GET /api/state} and redraws as the journal grows; the sampled architectures of a round as a scatter of
 * the estimate against a cost, coloured by an option of a chosen choice or by an op; an editor that removes or pins
 * options, {@code POST /api/restriction}; and {@code POST /api/rounds}, which starts the next round on the restricted
 * space with the {@link RoundRunner}. A directory that holds a plain search journal is watched without steering.
 *
 * <p>Listens on the loopback address unless another is given, and then only answers requests whose {@code Host} is
 * a loopback name (a page of another site cannot read it through DNS rebinding). Requests that change anything
 * carry the token made at start in the header {@code X-Nas4j-Token} (compared in constant time; 403 otherwise);
 * {@link #pageUri()} hands it to the page in the URI's fragment, which browsers never send.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.builder(new SteeringSession(dir, space)).runner(rounds).port(8421).start()) {
 *     System.out.println("DASHBOARD " + d.pageUri());
 *     d.awaitClose();
 * }
 * }</pre>
 */
public final class Dashboard implements Closeable {
    /** The request header that carries the token: {@value}. */
    public static final String TOKEN_HEADER = "X-Nas4j-Token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = HtmlPage.OFFLINE_POLICY + "; connect-src 'self'";
    private static final int MAX_BODY = 1 << 20;
    private final SteeringSession session;
    private final RoundRunner runner;
    private final String analyst;
    private final Duration poll;
    private final boolean loopback;
    private final String token;
    private final HttpServer server;
    private final ExecutorService rounds = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nas4j-dashboard-round");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService requests = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "nas4j-dashboard-http");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private int running;
    private String error;
    private boolean closed;

    private Dashboard(Builder b) throws IOException {
        this.session = b.session;
        this.runner = b.runner;
        this.analyst = b.analyst;
        this.poll = b.poll;
        this.loopback = b.bind.isLoopbackAddress();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.server = HttpServer.create(new InetSocketAddress(b.bind, b.port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(requests);
        server.start();
    }

    /** A builder of a dashboard over {@code session}. */
    public static Builder builder(SteeringSession session) {
        return new Builder(session);
    }

    /** The token that requests which change anything must carry. */
    public String token() {
        return token;
    }

    /** The server's address, e.g. {@code http://127.0.0.1:8421/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** The page's address with the token in its fragment: what the analyst opens to steer. */
    public URI pageUri() {
        return URI.create(uri() + "#token=" + token);
    }

    /** Blocks until {@link #close()} is called (from another thread, or a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        synchronized (lock) {
            while (!closed) {
                lock.wait();
            }
        }
    }

    /** Stops the server; a round still running is interrupted. */
    @Override
    public void close() {
        server.stop(0);
        rounds.shutdownNow();
        requests.shutdownNow();
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (loopback && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                send(exchange, 403, "text/plain", "this dashboard answers only requests to a loopback host name");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (method + " " + path) {
                case "GET /" -> send(exchange, 200, "text/html; charset=utf-8", page());
                case "GET /api/state" -> send(exchange, 200, "application/json", JSON.writeValueAsString(
                        state(roundParameter(exchange.getRequestURI().getQuery()))));
                case "POST /api/restriction" -> {
                    if (authorized(exchange)) {
                        restrict(exchange);
                    }
                }
                case "POST /api/rounds" -> {
                    if (authorized(exchange)) {
                        startRound(exchange);
                    }
                }
                default -> send(exchange, path.equals("/") || path.startsWith("/api/") ? 405 : 404, "text/plain",
                        method + " " + path + " is not served here");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", String.valueOf(e.getMessage()));
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
        boolean ok = given != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            send(exchange, 403, "text/plain", "requests that change the search need the header " + TOKEN_HEADER
                    + " with the token printed when the dashboard started");
        }
        return ok;
    }

    private boolean watchOnly() {
        return Files.exists(session.directory().resolve(Journal.FILE_NAME));
    }

    private String page() throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("title", "nas4j dashboard: " + session.directory().toAbsolutePath().normalize());
        data.put("analyst", analyst);
        data.put("pollMillis", poll.toMillis());
        data.put("canRun", runner != null);
        return HtmlPage.render(data.get("title").asText(), "dashboard.js", data, POLICY);
    }

    private ObjectNode state(int round) throws IOException {
        if (watchOnly()) {
            return DashboardState.ofJournal(session.directory(), session.space());
        }
        int now;
        String lastError;
        synchronized (lock) {
            now = running;
            lastError = error;
        }
        ObjectNode state = DashboardState.of(session, now, lastError, round);
        state.put("canRun", runner != null);
        return state;
    }

    private static int roundParameter(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("round=")) {
                    try {
                        return Math.max(0, Integer.parseInt(part.substring("round=".length())));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    /** Body {@code {"who": "...", "removed": {"choice": ["option", ...]}, "pinned": {"choice": "option"}}}. */
    private void restrict(HttpExchange exchange) throws IOException {
        if (watchOnly()) {
            send(exchange, 409, "text/plain", "a plain search journal is watched only; steer a session directory");
            return;
        }
        JsonNode body;
        try (var in = exchange.getRequestBody()) {
            body = JSON.readTree(in.readNBytes(MAX_BODY));
        } catch (IOException e) {
            send(exchange, 400, "text/plain", "the body must be JSON: " + e.getMessage());
            return;
        }
        Map<String, Set<String>> removed = new LinkedHashMap<>();
        body.path("removed").fields().forEachRemaining(f -> {
            Set<String> options = new LinkedHashSet<>();
            f.getValue().forEach(o -> options.add(o.asText()));
            removed.put(f.getKey(), options);
        });
        Map<String, String> pinned = new LinkedHashMap<>();
        body.path("pinned").fields().forEachRemaining(f -> pinned.put(f.getKey(), f.getValue().asText()));
        try {
            int round = session.restrict(new SpaceRestriction(removed, pinned), body.path("who").asText(""));
            send(exchange, 200, "application/json", JSON.createObjectNode().put("round", round).toString());
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain", e.getMessage());
        }
    }

    private void startRound(HttpExchange exchange) throws IOException {
        if (runner == null || watchOnly()) {
            send(exchange, 409, "text/plain", "this dashboard was started without a way to run rounds (watch only)");
            return;
        }
        int round;
        synchronized (lock) {
            if (running != 0) {
                send(exchange, 409, "text/plain", "round " + running + " is still running");
                return;
            }
            round = session.nextRound();
            running = round;
            error = null;
        }
        rounds.submit(() -> runRound(round));
        send(exchange, 202, "application/json", JSON.createObjectNode().put("round", round).toString());
    }

    private void runRound(int round) {
        String failure = null;
        try {
            session.run(round, runner);
        } catch (Exception e) {
            failure = "round " + round + " failed: " + e;
        } finally {
            synchronized (lock) {
                running = 0;
                error = failure;
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", POLICY);
        h.set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Builds a {@link Dashboard}; {@link #start()} opens the server. */
    public static final class Builder {
        private final SteeringSession session;
        private RoundRunner runner;
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port;
        private String analyst = System.getProperty("user.name", "analyst");
        private Duration poll = Duration.ofSeconds(1);

        private Builder(SteeringSession session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        /** How rounds run; default none: the dashboard shows the session but cannot start a round. */
        public Builder runner(RoundRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /** The address to listen on; default the loopback address. Any other must be given explicitly here. */
        public Builder bind(InetAddress address) {
            this.bind = Objects.requireNonNull(address, "bind");
            return this;
        }

        /** The port, in [0, 65535]; default 0: any free port ({@link Dashboard#uri()} says which). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The analyst's name the page proposes for restrictions; default the {@code user.name} system property. */
        public Builder analyst(String analyst) {
            if (analyst == null || analyst.isBlank()) {
                throw new IllegalArgumentException("analyst must not be blank, but was '" + analyst + "'");
            }
            this.analyst = analyst;
            return this;
        }

        /** How often the page asks for new trials, in [100 ms, 1 min]; default 1 s. */
        public Builder pollInterval(Duration interval) {
            if (interval.toMillis() < 100 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be in [100 ms, 1 min], but was " + interval);
            }
            this.poll = interval;
            return this;
        }

        /** Opens the server and returns the running dashboard. */
        public Dashboard start() throws IOException {
            return new Dashboard(this);
        }
    }
}
