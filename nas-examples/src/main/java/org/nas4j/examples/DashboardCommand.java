package org.nas4j.examples;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.report.Dashboard;
import org.nas4j.report.RoundRunner;
import org.nas4j.report.SteeringSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nas4j dashboard --journal DIR}: the live dashboard of a steered search in {@code DIR} (rounds in
 * {@code DIR/round-N}, restrictions in {@code DIR/restrictions.jsonl}), or of the plain search journaled in
 * {@code DIR}, watched without steering. Rounds run with the search options ({@code --strategy}, {@code --estimator},
 * {@code --trials}, ...), round N with the seed derived from {@code --seed} and N; with {@code --one-shot spos} each
 * round first trains one weight-sharing supernet on the round's restricted space and scores the candidates on it
 * ({@link OneShotRoundOptions}). Prints {@code DASHBOARD <url>}
 * (with the token in its fragment) and {@code TOKEN <token>}, then serves until killed.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves the live dashboard of a search journal or of a steered search's rounds; prints "
                + "DASHBOARD <url> and TOKEN <token>, then serves until stopped (Ctrl-C).")
final class DashboardCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--journal", required = true,
            description = "a steered search's directory (rounds under it), or a plain search's journal directory")
    private Path journal;

    @Option(names = "--port", defaultValue = "8421", description = "port (0: any free one); default ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--bind", description = "address to listen on; default the loopback address only (give one "
            + "explicitly, e.g. 0.0.0.0, to serve other machines)")
    private String bind;

    @Option(names = "--space", description = "space name (nas4j spaces); default: the space named by the journal "
            + "of the directory or of its round 1, else nas-bench-201")
    private String space;

    @Option(names = "--analyst", description = "name recorded with restrictions; default the user's name")
    private String analyst;

    @CommandLine.Mixin
    private SearchOptions options;

    @CommandLine.Mixin
    private OneShotRoundOptions oneShot;

    @Override
    public Integer call() throws Exception {
        SteeringSession session = new SteeringSession(journal, space());
        RoundRunner rounds = oneShot.enabled() ? oneShot.rounds(session, options)
                : (restricted, roundJournal, round) -> options.builder(restricted,
                        Seeds.derive(options.seed, "round", round)).journal(roundJournal).build().run();
        Dashboard.Builder b = Dashboard.builder(session).runner(rounds).port(port);
        if (bind != null) {
            b.bind(InetAddress.getByName(bind));
        }
        if (analyst != null) {
            b.analyst(analyst);
        }
        try (Dashboard dashboard = b.start()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("DASHBOARD " + dashboard.pageUri());
            out.println("TOKEN " + dashboard.token());
            Runtime.getRuntime().addShutdownHook(new Thread(dashboard::close, "nas4j-dashboard-stop"));
            dashboard.awaitClose();
        }
        return 0;
    }

    private SearchSpace space() throws java.io.IOException {
        if (oneShot.enabled()) {
            return oneShot.space(space != null ? space : "nas-bench-201");
        }
        if (space != null) {
            return options.space(space);
        }
        for (Path candidate : new Path[] {journal, journal.resolve("round-1")}) {
            if (Files.exists(Journal.fileOf(candidate))) {
                return options.space(Nas4jCli.spaceOf(candidate));
            }
        }
        return options.space("nas-bench-201");
    }
}
