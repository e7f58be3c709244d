package org.nas4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.report.Reports;
import org.nas4j.strategies.Strategies;
import org.nas4j.spaces.Spaces;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code nas4j} command line: {@code search}, {@code report}, {@code dashboard}, {@code spaces},
 * {@code strategies}, {@code architecture}, {@code genotype}; {@code --help} on each. Also the main class of the shaded jar ({@code mvn package} writes
 * {@code nas-examples/target/nas4j.jar}).
 *
 * <pre>
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.Nas4jCli -Dexec.args="search --trials 100"
 * mvn -q -pl nas-examples exec:java -Dexec.mainClass=org.nas4j.examples.Nas4jCli -Dexec.args="report runs/a runs/b"
 * java -jar nas-examples/target/nas4j.jar dashboard --journal runs/steered
 * </pre>
 */
@Command(name = "nas4j", mixinStandardHelpOptions = true, version = "nas4j 0.1.0-SNAPSHOT",
        description = "Neural architecture search on the JVM.",
        subcommands = {Nas4jCli.Search.class, Nas4jCli.Report.class, Nas4jCli.SpacesCommand.class,
                Nas4jCli.StrategiesCommand.class, DashboardCommand.class, ArchitectureInfo.class, GenotypeInfo.class})
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
        return execute(new Nas4jCli(), args, out, err);
    }

    /**
     * Runs {@code command} (this command line, or one of its commands on its own) with its output on {@code out}
     * and its errors on {@code err}; returns the exit code: 0, or 2 for bad arguments or a failed command.
     */
    static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("nas4j: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    /** {@link #execute(Object, String[], PrintWriter, PrintWriter)} on print streams (flushed when it returns). */
    static int execute(Object command, String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        try {
            return execute(command, args, o, e);
        } finally {
            o.flush();
            e.flush();
        }
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

        @CommandLine.Mixin
        private SearchOptions options;

        @Option(names = "--journal", description = "journal directory: every finished trial kept, rerun to resume")
        private Path journal;

        @Option(names = "--report", defaultValue = "target/nas4j-report.html",
                description = "HTML report to write (empty: none); default ${DEFAULT-VALUE}")
        private String report;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            SearchRunner.Builder b = options.builder(options.space(space), options.seed);
            if (journal != null) {
                b.journal(journal);
            }
            SearchResult result = b.build().run();
            Trial best = result.best();
            Metric metric = result.objective().metric();
            out.printf(Locale.ROOT, "RESULT space=%s strategy=%s trials=%d best=%s %s=%.4f%n", space,
                    options.strategy, result.trials().size(), best.architecture(), metric.name(), best.value(metric));
            if (!report.isEmpty()) {
                out.println("REPORT " + Reports.html(result, Path.of(report)).toAbsolutePath());
            }
            return 0;
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

    /**
     * The registry name of the space that the header of the journal at {@code journal} names (its identity up to the
     * first parenthesis); an exception saying to give {@code --space} when it is none of the registry's.
     */
    static String spaceOf(Path journal) throws IOException {
        Path file = Journal.fileOf(journal);
        String identity = Journal.readHeader(journal).getOrDefault("space", "");
        for (String name : Spaces.names()) {
            if (identity.equals(Spaces.byName(name).identity())
                    || identity.startsWith(Spaces.byName(name).name() + "(")
                    || identity.equals(Spaces.byName(name).name())) {
                return name;
            }
        }
        throw new IllegalArgumentException("the space of " + file + " ('" + identity + "') is not one of "
                + Spaces.names() + ": give --space");
    }

    /** Prints each name with its description, one per line; returns the exit code 0. */
    private static int list(PrintWriter out, List<String> names, java.util.function.UnaryOperator<String> description) {
        for (String name : names) {
            out.printf(Locale.ROOT, "%-22s %s%n", name, description.apply(name));
        }
        return 0;
    }
}
