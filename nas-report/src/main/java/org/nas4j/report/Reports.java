package org.nas4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.space.SearchSpace;

/**
 * Offline HTML reports of searches: one self-contained file per report (Apache ECharts inlined from its WebJar, no
 * request leaves the page), with the best objective so far against trials and against wall time, every trial as a
 * point of the objective against parameters, multiply-adds and latency (failed ones marked, the Pareto front
 * drawn), the cells of a trial drawn when its point is clicked, op frequencies among the best trials, and a table of
 * the best trials. Its numbers are read from the trials alone, so the report of a resumed search equals that of an
 * uninterrupted one.
 *
 * <pre>{@code
 * SearchResult result = SearchRunner.of(space).strategy(...).estimator(...).journal(dir).run();
 * Reports.html(result, Path.of("runs/report.html"));
 * Reports.html(dir, space, Path.of("runs/report.html"));            // from the journal, e.g. of a running search
 * Reports.compare(List.of(dirA, dirB, dirC), space, Path.of("runs/compare.html"));
 * }</pre>
 */
public final class Reports {
    /** How many of the best trials the op frequencies count: {@value}. */
    public static final int TOP_K = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {
    }

    /**
     * Writes the report of a finished search.
     *
     * @param result the search's result
     * @param out    the HTML file to write (its directory is created)
     * @return {@code out}
     */
    public static Path html(SearchResult result, Path out) throws IOException {
        Objects.requireNonNull(result, "result");
        Map<String, String> header = new LinkedHashMap<>();
        result.trials().stream().findFirst().ifPresent(t -> header.put("space", t.architecture().space().name()));
        header.put("objective", result.objective().toString());
        ReportData.ObjectiveSpec objective = new ReportData.ObjectiveSpec(result.objective().metric().name(),
                result.objective().maximize());
        String title = "nas4j search" + (header.containsKey("space") ? " on " + header.get("space") : "");
        return HtmlPage.write(out, title, "report.js",
                ReportData.of(title, header, objective, result.trials(), TOP_K));
    }

    /**
     * Writes the report of the search journaled at {@code journal} (finished, killed or still running: the trials
     * finished so far).
     *
     * @param journal a journal directory or its {@code journal.jsonl}
     * @param space   the space the search ran on
     * @param out     the HTML file to write
     * @return {@code out}
     */
    public static Path html(Path journal, SearchSpace space, Path out) throws IOException {
        Journal.Contents contents = Journal.read(journal, space);
        ReportData.ObjectiveSpec objective = ReportData.ObjectiveSpec.parse(contents.header().get("objective"));
        String title = "nas4j search: " + contents.header().getOrDefault("strategy", "?") + " on "
                + contents.header().getOrDefault("space", space.name());
        return HtmlPage.write(out, title, "report.js",
                ReportData.of(title, contents.header(), objective, contents.trials(), TOP_K));
    }

    /**
     * Writes a page that compares several searches of one space: the best objective so far against trials for each
     * strategy, the mean over its journals (seeds) with their lowest and highest, and a table of each strategy's
     * final best (mean, standard deviation, and the seeds' values).
     *
     * @param journals journal directories (or files); journals of one strategy configuration are grouped as seeds
     * @param space    the space they ran on
     * @param out      the HTML file to write
     * @return {@code out}
     */
    public static Path compare(List<Path> journals, SearchSpace space, Path out) throws IOException {
        if (journals.isEmpty()) {
            throw new IllegalArgumentException("journals must name at least one journal, but was empty");
        }
        ObjectNode data = JSON.createObjectNode();
        data.put("title", "nas4j: " + journals.size() + " searches on " + space.name());
        ArrayNode runs = data.putArray("runs");
        String objectiveText = null;
        for (Path journal : journals) {
            Journal.Contents contents = Journal.read(journal, space);
            String text = contents.header().get("objective");
            if (objectiveText == null) {
                objectiveText = text;
            } else if (!objectiveText.equals(text)) {
                throw new IllegalArgumentException("journals must share one objective to be compared, but "
                        + contents.file() + " has '" + text + "' and the first has '" + objectiveText + "'");
            }
            ReportData.ObjectiveSpec objective = ReportData.ObjectiveSpec.parse(text);
            ObjectNode single = ReportData.of("", contents.header(), objective, contents.trials(), TOP_K);
            ObjectNode run = runs.addObject();
            run.put("file", contents.file().toString());
            run.put("strategy", contents.header().getOrDefault("strategy", "?"));
            run.put("seed", contents.header().getOrDefault("seed", "?"));
            run.put("trials", contents.trials().size());
            run.set("bestSoFar", single.get("bestSoFar"));
        }
        ReportData.ObjectiveSpec objective = ReportData.ObjectiveSpec.parse(objectiveText);
        data.putObject("objective").put("metric", objective.metric()).put("maximize", objective.maximize());
        return HtmlPage.write(out, data.get("title").asText(), "compare.js", data);
    }
}
