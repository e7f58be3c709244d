package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.multifidelity.Hyperband;

class HyperbandTest {

    /** Accuracy that grows with fidelity towards the formula's value, as training longer would. */
    static final Estimator FIDELITY_FORMULA = new Estimator() {
        @Override
        public String description() {
            return "formula * (1 - exp(-5 fidelity))";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) {
            double acc = StrategyContractTest.formula(r.architecture()) * (1 - Math.exp(-5 * r.fidelity()));
            return Evaluation.of(Metric.VALIDATION_ACCURACY, acc).with(Metric.EPOCHS, 200 * r.fidelity());
        }
    };

    private static SearchResult run(Hyperband hb, int trials, long seed, int parallelism) {
        return SearchRunner.builder(Spaces.nasBench201(), hb).estimator(FIDELITY_FORMULA)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(Budget.trials(trials))
                .parallelism(parallelism).seed(seed).build().run();
    }

    @Test
    void bracketsFollowTheHyperbandFormula() {
        Hyperband hb = Strategies.hyperband(); // eta 3, R = 27
        int sMax = 3;
        for (int s = sMax; s >= 0; s--) {
            int n = (int) Math.ceil((sMax + 1) * Math.pow(3, s) / (s + 1));
            List<Hyperband.Rung> rungs = hb.bracket(s);
            assertEquals(s + 1, rungs.size());
            for (int i = 0; i <= s; i++) {
                assertEquals((int) Math.floor(n / Math.pow(3, i)), rungs.get(i).size(), "bracket " + s + " rung " + i);
                assertEquals(Math.pow(3, i - s), rungs.get(i).fidelity(), 1e-12);
            }
        }
        // Li et al., Table 1 (R = 81, eta = 3): brackets s=4 and s=3
        assertEquals(List.of(81, 27, 9, 3, 1), hb.rungs(5).bracket(4).stream().map(Hyperband.Rung::size).toList());
        assertEquals(List.of(34, 11, 3, 1), hb.rungs(5).bracket(3).stream().map(Hyperband.Rung::size).toList());
    }

    @Test
    void proposalsRunRungByRungAndPromoteTheBest() {
        SearchResult r = run(Strategies.hyperband(), 40 + 17 + 8 + 4, 3, 4);
        List<Trial> t = r.trials();
        int[] sizes = {27, 9, 3, 1, 12, 4, 1, 6, 2, 4};
        double[] fidelities = {1 / 27.0, 1 / 9.0, 1 / 3.0, 1, 1 / 9.0, 1 / 3.0, 1, 1 / 3.0, 1, 1};
        int at = 0;
        List<Trial> previous = null;
        for (int k = 0; k < sizes.length; k++) {
            List<Trial> rung = new ArrayList<>(t.subList(at, at + sizes[k]));
            for (Trial x : rung) {
                assertEquals(fidelities[k], x.fidelity(), 1e-12, "rung " + k);
            }
            boolean promoted = previous != null && fidelities[k] > fidelities[k - 1];
            if (promoted) {
                List<String> expected = previous.stream()
                        .sorted(Comparator.comparingDouble((Trial x) -> -x.value(Metric.VALIDATION_ACCURACY)))
                        .limit(sizes[k]).map(x -> x.architecture().key()).sorted().toList();
                assertEquals(expected, rung.stream().map(x -> x.architecture().key()).sorted().toList(),
                        "rung " + k + " should hold the best of the previous rung");
            }
            previous = rung;
            at += sizes[k];
        }
    }

    @Test
    void successiveHalvingRepeatsTheMostAggressiveBracket() {
        SearchResult r = run(Strategies.hyperband().successiveHalving(true).rungs(3), 2 * (9 + 3 + 1), 4, 1);
        List<Double> f = r.trials().stream().map(Trial::fidelity).toList();
        assertEquals(f.subList(0, 13), f.subList(13, 26));
        assertEquals(9, f.subList(0, 13).stream().filter(x -> Math.abs(x - 1 / 9.0) < 1e-12).count());
    }

    @Test
    void beatsRandomSearchOfTheSameTotalResource() {
        double hb = 0;
        double rs = 0;
        for (int seed = 0; seed < 10; seed++) {
            SearchResult r = run(Strategies.hyperband(), 200, seed, 1);
            hb += r.trials().stream().filter(t -> t.fidelity() == 1)
                    .mapToDouble(t -> StrategyContractTest.formula(t.architecture())).max().orElseThrow();
            int fullEvaluations = (int) r.trials().stream().mapToDouble(Trial::fidelity).sum();
            rs += SearchRunner.builder(Spaces.nasBench201(), Strategies.randomSearch()).estimator(FIDELITY_FORMULA)
                    .budget(Budget.trials(fullEvaluations)).seed(seed).build().run().trials().stream()
                    .mapToDouble(t -> StrategyContractTest.formula(t.architecture())).max().orElseThrow();
        }
        assertTrue(hb > rs, "Hyperband mean best " + hb / 10 + " vs random search " + rs / 10
                + " with the same resource");
    }

    @Test
    void parametersAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.hyperband().eta(1));
        assertEquals("eta must be in [2, 100], but was 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.hyperband().rungs(0));
        assertEquals("rungs must be in [1, 20], but was 0", e.getMessage());
    }
}
