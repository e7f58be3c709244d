package org.nas4j.estimators.oneshot;

import static org.nas4j.core.config.Require.atLeast;
import static org.nas4j.core.config.Require.nonNegative;
import static org.nas4j.core.config.Require.positive;
import static org.nas4j.core.config.Require.positiveFinite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One SPOS supernet trained across the rounds of a steered search: round 1 trains it on every path of the space,
 * each later round goes on training the same weights only on the paths its (restricted) space allows
 * ({@link RestrictedSinglePath}), and every round's candidates are then scored on the weights as that round left
 * them ({@link SupernetEstimator}).
 *
 * <p>The weights travel from round to round through files, not memory: round {@code N}'s trained state is written to
 * {@code checkpoints/round-N.ckpt} before its candidates are scored, and round {@code N} starts from a freshly
 * compiled supernet (the same initial weights, by the seed) with round {@code N-1}'s checkpoint restored. So a round
 * prepared again (a replay, a resumed search, another process) finds its checkpoint and scores on exactly the
 * same weights without training, and a round whose training was killed trains again from the round before it, to
 * the same weights. A round's checkpoint records its space's identity, and a round prepared on another restriction
 * is refused. Each round's training is a {@link SupernetTrainer} of its own: {@link Builder#epochsPerRound} epochs
 * with a fresh SGD state and cosine schedule (a warm restart), the data order and the paths drawn from the seed and
 * the round.
 *
 * <pre>{@code
 * SupernetRounds supernet = SupernetRounds.builder(space, train, validation, sessionDir.resolve("supernet"))
 *         .epochsPerRound(2).batchSize(64).seed(42).build();
 * RoundRunner rounds = (restricted, journal, round) -> SearchRunner.builder(restricted, Strategies.randomSearch())
 *         .estimator(supernet.prepare(restricted, round)).budget(Budget.trials(100)).parallelism(1)
 *         .seed(Seeds.derive(42, "round", round)).journal(journal).build().run();
 * }</pre>
 *
 * Immutable; {@link #prepare} calls for different rounds must not overlap (they read each other's checkpoints).
 */
public final class SupernetRounds {
    private final ComposedSpace space;
    private final ImageDataset train;
    private final ImageDataset validation;
    private final Path checkpoints;
    private final int epochsPerRound;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final double learningRate;
    private final int recalibrationBatches;
    private final int validationSamples;
    private final ModuleCatalogue modules;
    private final long seed;

    private SupernetRounds(Builder b) {
        this.space = b.space;
        this.train = b.train;
        this.validation = b.validation;
        this.checkpoints = b.checkpoints;
        this.epochsPerRound = b.epochsPerRound;
        this.batchSize = b.batchSize;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.learningRate = b.learningRate;
        this.recalibrationBatches = b.recalibrationBatches;
        this.validationSamples = b.validationSamples;
        this.modules = b.modules;
        this.seed = b.seed;
    }

    /**
     * A builder of the rounds of {@code space}'s supernet, trained on {@code train}, candidates scored on
     * {@code validation}, checkpoints kept in the directory {@code checkpoints} (created when needed).
     */
    public static Builder builder(ComposedSpace space, ImageDataset train, ImageDataset validation,
            Path checkpoints) {
        return new Builder(space, train, validation, checkpoints);
    }

    /** The file of round {@code round}'s trained supernet: {@code checkpoints/round-<round>.ckpt}. */
    public Path checkpoint(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, but was " + round);
        }
        return checkpoints.resolve("round-" + round + ".ckpt");
    }

    /**
     * The supernet as round {@code round} leaves it, and the estimator that scores {@code roundSpace}'s candidates
     * on it. Restores the round's checkpoint if it has one; otherwise restores round {@code round - 1}'s (none for
     * round 1), trains the round's epochs on the paths {@code roundSpace} allows, and writes the round's checkpoint.
     *
     * @param roundSpace the round's space: the supernet's space, or a {@link RestrictedSpace} of it
     * @throws IllegalStateException when round {@code round - 1} has no checkpoint, or the round's checkpoint was
     *                               written on another space
     */
    public SupernetEstimator prepare(SearchSpace roundSpace, int round) throws IOException {
        Objects.requireNonNull(roundSpace, "roundSpace");
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.singlePath(Seeds.derive(seed,
                "policy")), modules, DataType.FLOAT, Seeds.derive(seed, "weights"));
        RestrictedSinglePath paths = new RestrictedSinglePath(supernet, roundSpace, Seeds.derive(seed, "paths",
                round));
        Path mine = checkpoint(round);
        if (Files.exists(mine)) {
            String written = trainer(supernet, round).restore(mine);
            if (!written.equals(roundSpace.identity())) {
                throw new IllegalStateException("checkpoint " + mine + " was trained on " + written
                        + ", but round " + round + " runs on " + roundSpace.identity());
            }
        } else {
            if (round > 1) {
                Path before = checkpoint(round - 1);
                if (!Files.exists(before)) {
                    throw new IllegalStateException("round " + round + " goes on training the supernet of round "
                            + (round - 1) + ", but " + before + " does not exist: run round " + (round - 1)
                            + " first");
                }
                trainer(supernet, round - 1).restore(before);
            }
            SupernetTrainer trainer = paths.installOn(trainerBuilder(supernet, round)).build();
            while (trainer.epochsDone() < trainer.epochs()) {
                trainer.trainEpoch(() -> false);
            }
            supernet.usePolicyPath();
            trainer.save(mine, roundSpace.identity());
        }
        return SupernetEstimator.builder(supernet, train, validation).recalibrationBatches(recalibrationBatches)
                .batchSize(batchSize).validationSamples(validationSamples > 0 ? validationSamples : validation.size())
                .build();
    }

    private SupernetTrainer trainer(ComposedSupernet supernet, int round) {
        return trainerBuilder(supernet, round).build();
    }

    private SupernetTrainer.Builder trainerBuilder(ComposedSupernet supernet, int round) {
        return SupernetTrainer.builder(supernet, train).epochs(epochsPerRound).batchSize(batchSize)
                .stepsPerEpoch(stepsPerEpoch).architectureFraction(0)
                .weightOptimizer(learningRate, learningRate / 25, 0.9, 3e-4).validateEachEpoch(false)
                .seed(Seeds.derive(seed, "round", round));
    }

    /**
     * Builder of {@link SupernetRounds}; every setter validates at once. Defaults: 1 epoch per round, batch 64, one
     * pass over the training set per epoch, SGD learning rate 0.025 (cosine to 1/25 of it, momentum 0.9, weight
     * decay 3e-4), 20 recalibration batches, the whole validation set, the standard modules, seed 0.
     */
    public static final class Builder {
        private final ComposedSpace space;
        private final ImageDataset train;
        private final ImageDataset validation;
        private final Path checkpoints;
        private int epochsPerRound = 1;
        private int batchSize = 64;
        private int stepsPerEpoch;
        private double learningRate = 0.025;
        private int recalibrationBatches = 20;
        private int validationSamples;
        private ModuleCatalogue modules = ModuleCatalogue.standard();
        private long seed;

        private Builder(ComposedSpace space, ImageDataset train, ImageDataset validation, Path checkpoints) {
            this.space = Objects.requireNonNull(space, "space");
            this.train = Objects.requireNonNull(train, "train");
            this.validation = Objects.requireNonNull(validation, "validation");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        }

        /** Epochs each round trains the supernet; default 1. */
        public Builder epochsPerRound(int epochs) {
            this.epochsPerRound = positive("epochsPerRound", epochs);
            return this;
        }

        /** Samples per batch, in training and scoring, >= 2 (a training-mode batch norm needs two); default 64. */
        public Builder batchSize(int batchSize) {
            this.batchSize = atLeast("batchSize", batchSize, 2);
            return this;
        }

        /** Steps per epoch; default 0: one pass over the training set. */
        public Builder stepsPerEpoch(int steps) {
            this.stepsPerEpoch = nonNegative("stepsPerEpoch", steps);
            return this;
        }

        /** SGD's initial learning rate, cosine-annealed to 1/25 of it over each round; default 0.025. */
        public Builder learningRate(double rate) {
            this.learningRate = positiveFinite("learningRate", rate);
            return this;
        }

        /**
         * Batches that recompute a candidate's batch-norm statistics before it is scored (0: none, the statistics
         * as training left them); default 20.
         */
        public Builder recalibrationBatches(int batches) {
            this.recalibrationBatches = nonNegative("recalibrationBatches", batches);
            return this;
        }

        /** Validation samples each candidate is scored on; default 0: the whole validation set. */
        public Builder validationSamples(int samples) {
            this.validationSamples = nonNegative("validationSamples", samples);
            return this;
        }

        /** The modules of the ops; default {@link ModuleCatalogue#standard()}. */
        public Builder modules(ModuleCatalogue modules) {
            this.modules = Objects.requireNonNull(modules, "modules");
            return this;
        }

        /** Root seed of the initial weights, the data orders and the paths; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public SupernetRounds build() {
            return new SupernetRounds(this);
        }
    }
}
