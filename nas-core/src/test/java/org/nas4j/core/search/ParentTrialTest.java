package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalHeader;

/** Parent trials (weight inheritance): from the proposal to the estimator, the trial, the journal and a resume. */
class ParentTrialTest {
    private final ToySpace space = new ToySpace(6, 4);

    /** Remembers the parent each request named; supports inheritance or not. */
    private static final class ParentRecorder implements Estimator {
        final Map<Integer, OptionalInt> parents = new ConcurrentHashMap<>();
        private final boolean supports;

        ParentRecorder(boolean supports) {
            this.supports = supports;
        }

        @Override
        public String description() {
            return "parent-recorder";
        }

        @Override
        public Evaluation evaluate(EvaluationRequest r) throws InterruptedException {
            parents.put(r.trialId(), r.parent());
            Thread.sleep(Math.floorMod(r.seed(), 3));
            return Evaluation.of(Metric.VALIDATION_ACCURACY, ToySpace.score(r.architecture())
                    + Math.floorMod(r.seed(), 1000) / 1000.0);
        }

        @Override
        public boolean supportsWeightInheritance() {
            return supports;
        }
    }

    private SearchRunner.Builder inheriting(ParentRecorder estimator, int trials) {
        return SearchRunner.builder(space, new GreedyToyStrategy(true)).estimator(estimator)
                .budget(Budget.trials(trials)).parallelism(2).seed(4);
    }

    private static List<String> summary(SearchResult r) {
        List<String> s = new ArrayList<>();
        for (Trial t : r.trials()) {
            s.add(t.id() + " " + t.architecture() + " " + t.metrics() + " parent " + t.parent());
        }
        return s;
    }

    @Test
    void theParentTravelsFromTheProposalToTheEstimatorAndTheTrial() {
        ParentRecorder estimator = new ParentRecorder(true);
        SearchResult r = inheriting(estimator, 30).build().run();
        int children = 0;
        for (Trial t : r.trials()) {
            assertEquals(estimator.parents.get(t.id()), t.parent(), "trial " + t.id());
            if (t.parent().isPresent()) {
                children++;
                assertTrue(t.parent().getAsInt() < t.id(), "a parent is an earlier trial: " + t);
            }
        }
        assertTrue(children >= 25, "children: " + children);
        assertTrue(r.trials().get(0).parent().isEmpty(), "the first trial has no parent");
    }

    @Test
    void theCsvHasAParentColumnOnlyWhenSomeTrialHasAParent(@TempDir Path dir) throws IOException {
        SearchResult r = inheriting(new ParentRecorder(true), 5).build().run();
        r.writeCsv(dir.resolve("a.csv"));
        List<String> rows = Files.readAllLines(dir.resolve("a.csv"));
        assertTrue(rows.get(0).startsWith("id,architecture,state,seconds,reason,parent,valid_acc"), rows.get(0));
        assertTrue(rows.get(1).contains(",\"\",,"), "no parent: empty cell: " + rows.get(1));
        Trial child = r.trials().stream().filter(t -> t.parent().isPresent()).findFirst().orElseThrow();
        String row = rows.get(child.id() + 1);
        assertTrue(row.contains(",\"\"," + child.parent().getAsInt() + ","), row);
        SearchRunner.builder(space, new GreedyToyStrategy()).estimator(new ParentRecorder(false))
                .budget(Budget.trials(3)).build().run().writeCsv(dir.resolve("b.csv"));
        assertTrue(Files.readAllLines(dir.resolve("b.csv")).get(0).startsWith("id,architecture,state,seconds,reason,"
                + "valid_acc"));
    }

    @Test
    void parentsAreJournaledAndSurviveAResume(@TempDir Path dir) throws IOException {
        SearchResult uninterrupted = inheriting(new ParentRecorder(true), 40).journal(dir.resolve("full")).build()
                .run();
        List<String> lines = Files.readAllLines(dir.resolve("full").resolve(Journal.FILE_NAME));
        for (Trial t : uninterrupted.trials()) {
            // lines come in the order trials finished; find each by its id
            String line = lines.stream().filter(l -> l.startsWith("{\"type\":\"trial\",\"id\":" + t.id() + ","))
                    .findFirst().orElseThrow();
            if (t.parent().isPresent()) {
                assertTrue(line.endsWith(",\"parent\":" + t.parent().getAsInt() + "}"), line);
            } else {
                assertFalse(line.contains("parent"), "no field for a trial without a parent: " + line);
            }
        }

        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        Files.writeString(killed.resolve(Journal.FILE_NAME), String.join("\n", lines.subList(0, 21)) + "\n",
                StandardCharsets.UTF_8);
        ParentRecorder resumedEstimator = new ParentRecorder(true);
        SearchResult resumed = inheriting(resumedEstimator, 40).journal(killed).build().run();
        assertEquals(summary(uninterrupted), summary(resumed));
        assertEquals(20, resumedEstimator.parents.size(), "only the trials after the kill are evaluated");
        for (Trial t : resumed.trials().subList(0, 20)) {
            assertEquals(uninterrupted.trials().get(t.id()).parent(), t.parent(), "replayed trial " + t.id());
        }
    }

    @Test
    void aJournalWrittenBeforeParentsExistedStillLoads(@TempDir Path dir) throws IOException {
        JournalHeader header = new JournalHeader(space.identity(), "greedy()", "old", "maximize valid_acc", 1, 1);
        Path file = dir.resolve(Journal.FILE_NAME);
        String a = space.format(space.sample(new org.nas4j.core.random.SplitMix64(1)));
        Files.writeString(file, "{\"type\":\"header\",\"space\":\"" + space.identity() + "\",\"strategy\":\"greedy()\","
                + "\"estimator\":\"old\",\"objective\":\"maximize valid_acc\",\"seed\":\"1\",\"parallelism\":\"1\"}\n"
                + "{\"type\":\"trial\",\"id\":0,\"architecture\":\"" + a + "\",\"state\":\"COMPLETE\",\"metrics\":"
                + "{\"valid_acc\":3.5},\"reason\":\"\",\"seed\":7,\"fidelity\":1.0,\"seconds\":0.01}\n",
                StandardCharsets.UTF_8);
        try (Journal j = Journal.open(dir, header, space)) {
            Trial t = j.recorded().get(0);
            assertEquals(OptionalInt.empty(), t.parent());
            assertEquals(3.5, t.value(Metric.VALIDATION_ACCURACY));
        }
    }

    @Test
    void askingForInheritanceWithAnEstimatorWithoutItFailsNamingTheEstimator() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> inheriting(new ParentRecorder(false), 5).build());
        assertTrue(e.getMessage().contains("strategy greedy(inherit) asks for weight inheritance, but estimator "
                + "parent-recorder does not support it"), e.getMessage());
        SearchRunner.builder(space, new GreedyToyStrategy(false)).estimator(new ParentRecorder(false)).build();
    }

    @Test
    void aParentMustBeAFinishedTrialTheStrategyWasToldOf() {
        StrategyFactory premature = new StrategyFactory() {
            @Override
            public String name() {
                return "premature";
            }

            @Override
            public String configuration() {
                return "premature()";
            }

            @Override
            public Strategy create(SearchContext context) {
                return new Strategy() {
                    private int asked;

                    @Override
                    public Ask ask() {
                        int id = asked++;
                        var a = context.space().sample(new org.nas4j.core.random.SplitMix64(id));
                        return Ask.propose(id == 0 ? Proposal.of(a) : Proposal.child(a, id - 1));
                    }

                    @Override
                    public void tell(Trial trial) {
                    }
                };
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SearchRunner.builder(space, premature).estimator(new ParentRecorder(true))
                        .budget(Budget.trials(5)).parallelism(2).build().run());
        assertEquals("strategy premature proposed trial 1 with parent trial 0, but a parent must be a finished "
                + "trial the strategy has been told of (none so far)", e.getMessage());
    }

    @Test
    void parentIdsAreValidated() {
        var a = space.sample(new org.nas4j.core.random.SplitMix64(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Proposal.child(a, -1));
        assertEquals("parent trial id must be >= 0, but was -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new EvaluationRequest(3, a, 0, 1, OptionalInt.of(3)));
        assertEquals("parent of trial 3 must be an earlier trial, in [0, 3), but was 3", e.getMessage());
        assertEquals(OptionalInt.empty(), Proposal.of(a).parent());
        assertEquals(OptionalInt.of(2), Proposal.child(a, 2).parent());
    }
}
