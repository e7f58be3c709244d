package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.nasbench201.NasBench201Space;

class ReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final NasBench201Space space = NasBench201Space.standard();


    /**
     * A made-up accuracy that rewards 3x3 convolutions, the parameter count from the space's cost model, and a
     * failure for every architecture whose first edge is {@code none} and second is {@code skip_connect}.
     */
    private final Estimator estimator = new Estimator() {
        @Override
        public Evaluation evaluate(org.nas4j.core.search.EvaluationRequest request) {
            Architecture a = request.architecture();
            if (a.index(0) == 0 && a.index(1) == 1) {
                throw new IllegalStateException("made-up failure");
            }
            double acc = 60;
            for (int i = 0; i < a.size(); i++) {
                acc += a.index(i) == 3 ? 4 : a.index(i);
            }
            return Evaluation.of(Metric.VALIDATION_ACCURACY, acc)
                    .with(Metric.PARAMETERS, space.network().parameters(a));
        }

        @Override
        public String description() {
            return "made-up";
        }
    };

    private SearchResult search(String strategy, int trials, long seed, Path journal) {
        SearchRunner.Builder b = SearchRunner.builder(space, new SamplingStrategy(strategy)).estimator(estimator)
                .budget(Budget.trials(trials)).parallelism(2).seed(seed);
        if (journal != null) {
            b.journal(journal);
        }
        return b.build().run();
    }

    /** The page's data: the JSON between {@code const DATA = } and the end of its script. */
    static JsonNode data(Path page) throws IOException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        int start = html.indexOf("const DATA = ") + "const DATA = ".length();
        int end = html.indexOf(";\n</script>", start);
        return JSON.readTree(html.substring(start, end));
    }

    @Test
    void pageIsSelfContainedAndHoldsEveryTrial(@TempDir Path dir) throws IOException {
        SearchResult result = search("sampling", 100, 7, null);
        Path page = Reports.html(result, dir.resolve("sub/report.html"));
        String html = Files.readString(page, StandardCharsets.UTF_8);

        assertFalse(html.contains("<script src"), "scripts are inlined");
        assertFalse(html.contains("<link"), "styles are inlined");
        assertTrue(html.contains("default-src 'none'"), "the page forbids every request");
        assertTrue(html.contains(HtmlPage.echarts()), "ECharts is inlined");
        JsonNode data = data(page);
        assertEquals(100, data.get("trials").size());
        long failed = result.trials().stream().filter(t -> t.state() == TrialState.FAILED).count();
        assertTrue(failed > 0, "the made-up failure occurs in 100 samples");
        assertEquals(failed, data.get("states").get("FAILED").asLong());
        assertEquals(6, data.get("trials").get(0).get("cells").get(0).get("edges").size(), "NB201: six edges");
    }

    @Test
    void bestSoFarAndParetoFrontAgreeWithTheTrials(@TempDir Path dir) throws IOException {
        SearchResult result = search("sampling", 100, 11, null);
        JsonNode data = data(Reports.html(result, dir.resolve("r.html")));

        double best = Double.NEGATIVE_INFINITY;
        int k = 0;
        for (Trial t : result.trials()) {
            if (t.state() != TrialState.COMPLETE) {
                continue;
            }
            best = Math.max(best, t.value(Metric.VALIDATION_ACCURACY));
            JsonNode point = data.get("bestSoFar").get(k++);
            assertEquals(t.id(), point.get("id").asInt());
            assertEquals(best, point.get("value").asDouble());
        }
        assertEquals(k, data.get("bestSoFar").size());
        assertEquals(result.best().value(Metric.VALIDATION_ACCURACY), best);

        // brute force: a complete trial is on the front when no other has fewer-or-equal params and higher accuracy
        // or fewer params and equal-or-higher accuracy
        List<Integer> expected = new ArrayList<>();
        List<Trial> complete = result.trials().stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        for (Trial t : complete) {
            boolean dominated = false;
            for (Trial o : complete) {
                double p = o.value(Metric.PARAMETERS);
                double a = o.value(Metric.VALIDATION_ACCURACY);
                double tp = t.value(Metric.PARAMETERS);
                double ta = t.value(Metric.VALIDATION_ACCURACY);
                if ((p <= tp && a > ta) || (p < tp && a >= ta) || (p == tp && a == ta && o.id() < t.id())) {
                    dominated = true;
                }
            }
            if (!dominated) {
                expected.add(t.id());
            }
        }
        List<Integer> front = new ArrayList<>();
        data.get("pareto").get("params").forEach(n -> front.add(n.asInt()));
        assertEquals(expected.stream().sorted().toList(), front.stream().sorted().toList());

        double topShare = 0;
        for (JsonNode v : data.get("opFrequencies").get("top")) {
            topShare += v.asDouble();
        }
        assertEquals(1.0, topShare, 1e-12);
        assertTrue(data.get("opFrequencies").get("top").get("nor_conv_3x3").asDouble()
                > data.get("opFrequencies").get("all").get("nor_conv_3x3").asDouble(),
                "the made-up accuracy rewards 3x3 convolutions, so the top trials have more of them");
    }

    /** The data without what a clock measured. */
    private static JsonNode untimed(JsonNode data) {
        ObjectNode copy = data.deepCopy();
        copy.get("trials").forEach(t -> ((ObjectNode) t).remove("seconds"));
        copy.get("bestSoFar").forEach(p -> ((ObjectNode) p).remove("wallSeconds"));
        return copy;
    }

    @Test
    void reportOfAResumedSearchEqualsThatOfAnUninterruptedOne(@TempDir Path dir) throws IOException {
        Path whole = dir.resolve("whole");
        Path resumed = dir.resolve("resumed");
        search("sampling", 60, 3, whole);
        search("sampling", 25, 3, resumed);
        search("sampling", 60, 3, resumed);

        JsonNode a = data(Reports.html(whole, space, dir.resolve("a.html")));
        JsonNode b = data(Reports.html(resumed, space, dir.resolve("b.html")));
        assertEquals(60, a.get("trials").size());
        assertEquals(untimed(a), untimed(b));
        assertEquals("maximize valid_acc", a.get("header").get("objective").asText());
    }

    @Test
    void readingAJournalLeavesItAsItIsAndSkipsACutLastLine(@TempDir Path dir) throws IOException {
        Path journal = dir.resolve("j");
        search("sampling", 10, 5, journal);
        Path file = journal.resolve("journal.jsonl");
        byte[] bytes = Files.readAllBytes(file);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 20);
        Files.write(file, cut);

        JsonNode data = data(Reports.html(journal, space, dir.resolve("r.html")));
        assertEquals(9, data.get("trials").size(), "the cut last trial is left out");
        assertEquals(cut.length, Files.size(file), "the file is not repaired by a reader");
    }

    @Test
    void comparisonGroupsRunsByStrategy(@TempDir Path dir) throws IOException {
        List<Path> journals = new ArrayList<>();
        for (String strategy : List.of("first", "second")) {
            for (long seed : new long[] {1, 2}) {
                Path j = dir.resolve(strategy + seed);
                search(strategy, 30, seed, j);
                journals.add(j);
            }
        }
        JsonNode data = data(Reports.compare(journals, space, dir.resolve("compare.html")));
        assertEquals(4, data.get("runs").size());
        assertEquals(List.of("first", "first", "second", "second"),
                List.of(data.get("runs").get(0).get("strategy").asText(), data.get("runs").get(1).get("strategy")
                        .asText(), data.get("runs").get(2).get("strategy").asText(), data.get("runs").get(3)
                        .get("strategy").asText()));
        assertEquals("valid_acc", data.get("objective").get("metric").asText());
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reports.compare(List.of(), space, dir.resolve("x.html")));
        assertTrue(e.getMessage().contains("journals"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> Reports.html(dir.resolve("missing"), space, dir.resolve("x.html")));
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> ReportData.ObjectiveSpec.parse("best valid_acc"));
        assertTrue(o.getMessage().contains("best valid_acc"), o.getMessage());
    }

    @Test
    void scriptTextCannotCloseItsElement() {
        assertEquals("a = '<\\/script>'", HtmlPage.inlineScript("a = '</script>'"));
        assertEquals("x", HtmlPage.fill("%A%", Map.of("A", "x")));
        assertEquals("%B%", HtmlPage.fill("%A%", Map.of("A", "%B%")), "parts are not searched again");
        SearchSpace unused = space;
        assertTrue(unused.name().contains("201"));
    }
}
