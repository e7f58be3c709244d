package org.nas4j.estimators.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.journal.JournalMismatchException;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.Augmentation;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.network.DartsFactory;
import org.nas4j.estimators.network.NasBench101Factory;
import org.nas4j.estimators.network.NetworkCompiler;
import org.nas4j.estimators.network.NetworkFactory;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every setting of a network factory and of a training estimator is part of its configuration text, and a journal
 * resumed with a configuration that differs in one setting is refused naming that setting.
 */
class ConfigurationHeaderTest {
    private static final TrainTest DATA = TrainingEstimatorTest.SMALL;

    private static List<String> differingPaths(String a, String b) {
        assertNotEquals(a, b);
        return Configuration.parse(a).differences(Configuration.parse(b)).stream()
                .map(Configuration.Difference::path).toList();
    }

    @Test
    void networkFactoriesDifferingInOneSettingHaveDifferentConfigurations() {
        DartsFactory darts = new DartsFactory(DartsSpace.darts(), 16, 8, 10, 3, 32);
        assertEquals(List.of("channels"), differingPaths(darts.configuration().toString(),
                new DartsFactory(DartsSpace.darts(), 36, 8, 10, 3, 32).configuration().toString()));
        assertEquals(List.of("layers"), differingPaths(darts.configuration().toString(),
                new DartsFactory(DartsSpace.darts(), 16, 20, 10, 3, 32).configuration().toString()));
        assertEquals(List.of("dropPathProbability"), differingPaths(darts.configuration().toString(),
                darts.dropPath(0.2).configuration().toString()));
        assertEquals(List.of("space.ops"), differingPaths(darts.configuration().toString(),
                new DartsFactory(DartsSpace.builder().includeNone(true).build(), 16, 8, 10, 3, 32).configuration()
                        .toString()));

        NetworkFactory nb201 = NetworkCompiler.factoryFor(NasBench201Space.standard());
        assertEquals(List.of("space"), differingPaths(nb201.configuration().toString(), NetworkCompiler.factoryFor(
                NasBench201Space.builder().channels(8).build()).configuration().toString()));
        assertEquals(List.of("space"), differingPaths(nb201.configuration().toString(), NetworkCompiler.factoryFor(
                NasBench201Space.builder().imageSize(28).build()).configuration().toString()));
        assertEquals(List.of("dataType"), differingPaths(nb201.configuration().toString(),
                new SpaceCompiler(NasBench201Space.standard().composedForm().orElseThrow()).dataType(DataType.DOUBLE)
                        .configuration().toString()));

        NasBench101Space space101 = NasBench101Space.create();
        assertEquals(List.of("bnMomentum"), differingPaths(new NasBench101Factory(space101).configuration().toString(),
                NasBench101Factory.builder(space101).batchNormMomentum(0.1).build().configuration().toString()));
    }

    @Test
    void trainingEstimatorsDifferingInOneSettingHaveDifferentDescriptions() {
        String base = Estimators.training(DATA).build().description();
        assertEquals(base, Estimators.training(DATA).build().description(), "the description must be stable");
        assertEquals(List.of("epochs"), differingPaths(base, Estimators.training(DATA).epochs(5).build()
                .description()));
        assertEquals(List.of("optimizer"), differingPaths(base, Estimators.training(DATA)
                .optimizer(TrainingEstimator.OptimizerKind.ADAM).build().description()));
        assertEquals(List.of("optimizer.learningRate"), differingPaths(base, Estimators.training(DATA)
                .learningRate(0.05).build().description()));
        assertEquals(List.of("optimizer.schedule"), differingPaths(base, Estimators.training(DATA).cosine(false)
                .build().description()));
        assertEquals(List.of("augmentation.padding"), differingPaths(base, Estimators.training(DATA)
                .augmentation(new Augmentation(2, false)).build().description()));
        TrainTest otherImages = new TrainTest(DATA.test(), DATA.train());
        assertEquals(List.of("data.samples", "data.fingerprint"), differingPaths(base,
                Estimators.training(otherImages).build().description()));
        TrainTest oneLabelChanged = new TrainTest(relabelled(DATA), DATA.test());
        assertEquals(List.of("data.fingerprint"), differingPaths(base,
                Estimators.training(oneLabelChanged).build().description()));
        assertEquals(List.of("network"), differingPaths(base, Estimators.training(DATA)
                .networkFactory(NetworkCompiler.factoryFor(TrainingEstimatorTest.SPACE)).build().description()));
    }

    /** The training set with the label of its first sample changed. */
    private static ImageDataset relabelled(TrainTest data) {
        ImageDataset train = data.train();
        float[] values = new float[train.size() * train.sampleSize()];
        int[] labels = new int[train.size()];
        for (int i = 0; i < train.size(); i++) {
            train.copySample(i, values, i * train.sampleSize());
            labels[i] = train.label(i);
        }
        labels[0] = (labels[0] + 1) % train.classes();
        return new ImageDataset(values, labels, train.channels(), train.height(), train.width(), train.classes());
    }

    @Test
    void aJournalOfAnotherNetworkIsRefusedNamingTheSetting(@TempDir Path dir) throws IOException {
        DartsSpace space = DartsSpace.darts();
        SearchRunner written = runner(space, new DartsFactory(space, 16, 8, 10, 1, 8), dir);
        Journal.open(dir, written.journalHeader(), space).close();
        JournalMismatchException e = assertThrows(JournalMismatchException.class,
                () -> runner(space, new DartsFactory(space, 36, 8, 10, 1, 8), dir).run());
        assertTrue(e.getMessage().contains("estimator: network.channels is 16 in the journal but 36 in this search"),
                e.getMessage());
        e = assertThrows(JournalMismatchException.class, () -> SearchRunner.builder(space, new NoProposals())
                .estimator(Estimators.training(DATA).networkFactory(new DartsFactory(space, 16, 8, 10, 1, 8))
                        .epochs(7).build()).journal(dir).build().run());
        assertTrue(e.getMessage().contains("estimator: epochs is 4 in the journal but 7 in this search"),
                e.getMessage());
    }

    private static SearchRunner runner(SearchSpace space, DartsFactory factory, Path journal) {
        Estimator training = Estimators.training(DATA).networkFactory(factory).build();
        return SearchRunner.builder(space, new NoProposals()).estimator(training).journal(journal).build();
    }

    /** Proposes nothing: the header check comes before any trial. */
    private static final class NoProposals implements StrategyFactory {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String configuration() {
            return "none()";
        }

        @Override
        public Strategy create(SearchContext context) {
            return new Strategy() {
                @Override
                public Ask ask() {
                    return Ask.done();
                }

                @Override
                public void tell(Trial trial) {
                }
            };
        }
    }
}
