package org.nas4j.estimators;

import org.nas4j.estimators.zerocost.ZeroCostEstimator;

import java.io.IOException;
import java.nio.file.Path;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.oneshot.SupernetEstimator;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.estimators.training.TrainingEstimator;

/**
 * Factories of the built-in estimators.
 *
 * <pre>{@code
 * Estimator e = Estimators.nasBench201Cifar10();
 * }</pre>
 */
public final class Estimators {
    private Estimators() {
    }

    /** The NAS-Bench-201 CIFAR-10 table shipped with nas4j. */
    public static TabularEstimator nasBench201Cifar10() {
        return TabularEstimator.nasBench201Cifar10();
    }

    /** A table in the NAS-Bench-201 CSV format (see {@link TabularEstimator}). */
    public static TabularEstimator tabular(Path csv, SearchSpace space) throws IOException {
        return TabularEstimator.fromCsv(csv, space);
    }

    /**
     * Real training of every candidate on {@code data} (see {@link TrainingEstimator} for the metrics and defaults):
     * {@code Estimators.training(FashionMnist.bundled()).epochs(2).build()}.
     */
    public static TrainingEstimator.Builder training(TrainTest data) {
        return TrainingEstimator.builder(data);
    }

    /**
     * Each candidate cell of a recurrent cell space trained as a character-level language model on {@code corpus},
     * scored by validation perplexity (see {@link org.nas4j.estimators.language.LanguageModelEstimator} and
     * docs/spaces/recurrent.md): {@code Estimators.languageModel(CharacterCorpus.read(path)).steps(300).build()}.
     */
    public static org.nas4j.estimators.language.LanguageModelEstimator.Builder languageModel(
            org.nas4j.estimators.data.CharacterCorpus corpus) {
        return org.nas4j.estimators.language.LanguageModelEstimator.builder(corpus);
    }

    /**
     * Each candidate scored at initialisation by zero-cost proxies, without training (see {@link ZeroCostEstimator}
     * and docs/estimators/zero-cost.md): {@code Estimators.zeroCost(FashionMnist.bundled()).proxies("synflow")
     * .build()}.
     */
    public static ZeroCostEstimator.Builder zeroCost(TrainTest data) {
        return ZeroCostEstimator.builder(data);
    }

    /**
     * Each candidate scored on a trained supernet with the weights it inherits (SPOS' search; see
     * {@link SupernetEstimator} for the recalibration, the metrics and the defaults):
     * {@code Estimators.supernet(trained, train, validation).recalibrationBatches(50).build()}.
     *
     * @param trained    the trained supernet; evaluations leave its weights and statistics unchanged
     * @param train      the training set, for the batch-norm recalibration
     * @param validation the validation set, of which a fixed subset scores every candidate
     */
    public static SupernetEstimator.Builder supernet(ComposedSupernet trained, ImageDataset train,
            ImageDataset validation) {
        return SupernetEstimator.builder(trained, train, validation);
    }
}
