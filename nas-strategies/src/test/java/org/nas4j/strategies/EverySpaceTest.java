package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.CellOutput;
import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * Every strategy runs on every built-in space through the generic choice vector: proposals are valid members of
 * the space, searches are reproducible, and nothing fails.
 */
class EverySpaceTest {

    /**
     * Every registered space but {@code pnas} (the same cells as {@code nasnet}'s family; pnas-progressive covers it)
     * and {@code enas-macro-channels} (72 channel-range choices of 665 options each: the model-based strategies'
     * one-hot encodings and local search's neighbourhoods of that size take the test from a minute to over half an
     * hour), which a 3-layer, 4-filter instance of the same mode stands for (18 ranges of 9 options, 3 skips), and
     * two spaces made with the space builder: NAS-Bench-201 and a chain with a depth choice, shared and
     * per-repetition values, a cell with input choices and a parameter limit.
     */
    static List<SearchSpace> spaces() {
        List<SearchSpace> spaces = new ArrayList<>(Spaces.names().stream()
                .filter(n -> !n.equals("pnas") && !n.equals("enas-macro-channels")).map(Spaces::byName).toList());
        spaces.add(EnasMacroSpace.small().name("enas-macro-channels-tiny").wholeChannels(false).layers(3)
                .outFilters(4).input(1, 8).build());
        spaces.add(NasBench201Definition.of(NasBench201Space.standard()));
        CellTemplate cell = CellTemplate.builder("cell").inputs(2).output(CellOutput.CONCAT_UNUSED)
                .nodes(3, n -> n.pick(2).ops("sep_conv_3x3", "skip_connect", "max_pool_3x3")).build();
        spaces.add(SpaceBuilder.create("composed-chain").input(3, 16, 16)
                .value("width", 8, 16)
                .layer("stem", "conv_bn_3x3", Width.value("width"))
                .repeat("blocks", 0, 3, b -> b.value("k", 3, 5)
                        .choice("op", List.of("nor_conv_{k}x{k}", "skip_connect", "avg_pool_3x3")))
                .cells(cell, 2, Width.of(8))
                .head("pool_linear")
                .maxParameters(20_000)
                .build());
        return spaces;
    }

    static Stream<Arguments> strategiesTimesSpaces() {
        List<Arguments> out = new ArrayList<>();
        for (String s : Strategies.names()) {
            for (SearchSpace space : spaces()) {
                out.add(Arguments.of(s, space));
            }
        }
        return out.stream();
    }

    /** A deterministic score per canonical key, with a cost metric that grows with the vector. */
    static final Estimator HASHED = new Estimator() {
        @Override
        public String description() {
            return "hashed";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            Architecture a = r.architecture();
            double score = (a.key().hashCode() & 0xffff) / 655.36 * r.fidelity();
            double cost = 0;
            for (int i = 0; i < a.size(); i++) {
                cost += a.index(i);
            }
            return Evaluation.of(Metric.VALIDATION_ACCURACY, score).with(Metric.PARAMETERS, 1000 + cost)
                    .with(Metric.TRAINING_SECONDS, 1 + cost / 10);
        }
    };

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("strategiesTimesSpaces")
    void runsReproduciblyWithValidProposals(String strategy, SearchSpace space) {
        SearchResult a = run(strategy, space);
        SearchResult b = run(strategy, space);
        assertTrue(a.trials().size() >= 20, strategy + " on " + space.name() + ": " + a.trials().size());
        List<String> ta = new ArrayList<>();
        List<String> tb = new ArrayList<>();
        for (Trial t : a.trials()) {
            assertTrue(space.isValid(t.architecture()), t.architecture().toString());
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertEquals(t.architecture(), space.parse(t.architecture().toString()));
            ta.add(t.architecture() + "@" + t.fidelity());
        }
        b.trials().forEach(t -> tb.add(t.architecture() + "@" + t.fidelity()));
        assertEquals(ta, tb);
    }

    private static SearchResult run(String strategy, SearchSpace space) {
        return SearchRunner.builder(space, Strategies.byName(strategy)).estimator(HASHED)
                .budget(Budget.trials(40)).parallelism(2).seed(13).build().run();
    }
}
