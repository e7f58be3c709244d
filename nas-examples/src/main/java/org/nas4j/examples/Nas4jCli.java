package org.nas4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.report.Reports;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code nas4j} command line: {@code search}, {@code report}, {@code spaces}, {@code strategies}; {@code --help}
 * on each.
 *
 * <pre>
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.Nas4jCli -Dexec.args="search --trials 100"
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.Nas4jCli -Dexec.args="report runs/a runs/b"
 * </pre>
 */
@Command(name = "nas4j", mixinStandardHelpOptions = true, version = "nas4j 0.1.0-SNAPSHOT",
        description = "Neural architecture search on the JVM.",
        subcommands = {Nas4jCli.Search.class, Nas4jCli.Report.class, Nas4jCli.SpacesCommand.class,
                Nas4jCli.StrategiesCommand.class})
public final class Nas4jCli implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line with its output on {@code out} and its errors on {@code err}; returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Nas4jCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("nas4j: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code nas4j search}: one search, journaled and reported. */
    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Runs a search and writes its report; prints RESULT and REPORT lines.")
    static final class Search implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--space", defaultValue = "nas-bench-201",
                description = "space name (nas4j spaces lists them); default ${DEFAULT-VALUE}")
        private String space;

        @Option(names = "--strategy", defaultValue = "rea",
                description = "strategy name (nas4j strategies lists them); default ${DEFAULT-VALUE}")
        private String strategy;

        @Option(names = "--estimator", defaultValue = "table",
                description = "table (NAS-Bench-201 CIFAR-10, shipped; or --table PATH), training (real training on "
                        + "the shipped Fashion-MNIST) or zero-cost (synflow at initialisation); default ${DEFAULT-VALUE}")
        private String estimator;

        @Option(names = "--table", description = "a table in the NAS-Bench-201 CSV format, for --estimator table")
        private Path table;

        @Option(names = "--trials", defaultValue = "100", description = "trial budget; default ${DEFAULT-VALUE}")
        private int trials;

        @Option(names = "--minutes", description = "wall-clock budget in minutes, besides the trials")
        private Double minutes;

        @Option(names = "--seed", defaultValue = "42", description = "root seed; default ${DEFAULT-VALUE}")
        private long seed;

        @Option(names = "--parallelism", defaultValue = "2", description = "trials at once; default ${DEFAULT-VALUE}")
        private int parallelism;

        @Option(names = "--journal", description = "journal directory: every finished trial kept, rerun to resume")
        private Path journal;

        @Option(names = "--report", defaultValue = "target/nas4j-report.html",
                description = "HTML report to write (empty: none); default ${DEFAULT-VALUE}")
        private String report;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (trials < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be >= 1, but was " + trials);
            }
            SearchSpace s = Spaces.byName(space);
            Estimator e = estimator(s);
            Objective objective = estimator.equals("zero-cost")
                    ? Objective.maximize(org.nas4j.estimators.zerocost.ZeroCostEstimator.metric("synflow"))
                    : Objective.maximize(Metric.VALIDATION_ACCURACY);
            Budget budget = Budget.trials(trials);
            if (minutes != null) {
                budget = budget.orWallClock(Duration.ofMillis((long) (minutes * 60_000)));
            }
            SearchRunner.Builder b = SearchRunner.builder(s, Strategies.byName(strategy)).estimator(e)
                    .objective(objective).budget(budget).parallelism(parallelism).seed(seed)
                    .listener(Listeners.progressBar());
            if (journal != null) {
                b.journal(journal);
            }
            SearchResult result = b.build().run();
            Trial best = result.best();
            out.printf(Locale.ROOT, "RESULT space=%s strategy=%s trials=%d best=%s %s=%.4f%n", space, strategy,
                    result.trials().size(), best.architecture(), objective.metric().name(),
                    best.value(objective.metric()));
            if (!report.isEmpty()) {
                out.println("REPORT " + Reports.html(result, Path.of(report)).toAbsolutePath());
            }
            return 0;
        }

        private Estimator estimator(SearchSpace s) throws IOException {
            return switch (estimator) {
                case "table" -> table == null ? Estimators.nasBench201Cifar10() : Estimators.tabular(table, s);
                case "training" -> Estimators.training(FashionMnist.bundled()).epochs(1).stepsPerEpoch(60)
                        .batchSize(64).learningRate(0.1).build();
                case "zero-cost" -> Estimators.zeroCost(FashionMnist.bundled()).proxies("synflow").build();
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--estimator must be table, training or zero-cost, but was '" + estimator + "'");
            };
        }
    }

    /** {@code nas4j report}: the HTML report of one journal, or the comparison of several. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Writes the HTML report of one journal, or a comparison of several; prints REPORT <path>.")
    static final class Report implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "JOURNAL", description = "journal directories (or journal.jsonl files)")
        private List<Path> journals;

        @Option(names = "--space", description = "the space's name (nas4j spaces); default: the space named in the "
                + "first journal's header")
        private String space;

        @Option(names = "--out", defaultValue = "target/nas4j-report.html",
                description = "HTML file to write; default ${DEFAULT-VALUE}")
        private Path out;

        @Override
        public Integer call() throws IOException {
            SearchSpace s = Spaces.byName(space != null ? space : spaceOf(journals.get(0)));
            Path written = journals.size() == 1 ? Reports.html(journals.get(0), s, out)
                    : Reports.compare(journals, s, out);
            spec.commandLine().getOut().println("REPORT " + written.toAbsolutePath());
            return 0;
        }

        /** The registry name whose space the journal's header names (its identity up to the first parenthesis). */
        private String spaceOf(Path journal) throws IOException {
            Path file = Journal.fileOf(journal);
            String identity = Journal.readHeader(journal).getOrDefault("space", "");
            for (String name : Spaces.names()) {
                if (identity.equals(Spaces.byName(name).identity())
                        || identity.startsWith(Spaces.byName(name).name() + "(")
                        || identity.equals(Spaces.byName(name).name())) {
                    return name;
                }
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "the space of " + file + " ('" + identity
                    + "') is not one of " + Spaces.names() + ": give --space");
        }
    }

    /** {@code nas4j spaces}. */
    @Command(name = "spaces", mixinStandardHelpOptions = true, description = "Lists the spaces by name.")
    static final class SpacesCommand implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return list(spec.commandLine().getOut(), Spaces.names(), Spaces::description);
        }
    }

    /** {@code nas4j strategies}. */
    @Command(name = "strategies", mixinStandardHelpOptions = true, description = "Lists the strategies by name.")
    static final class StrategiesCommand implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return list(spec.commandLine().getOut(), Strategies.names(), Strategies::description);
        }
    }

    /** Prints each name with its description, one per line; returns the exit code 0. */
    private static int list(PrintWriter out, List<String> names, java.util.function.UnaryOperator<String> description) {
        for (String name : names) {
            out.printf(Locale.ROOT, "%-22s %s%n", name, description.apply(name));
        }
        return 0;
    }
}
