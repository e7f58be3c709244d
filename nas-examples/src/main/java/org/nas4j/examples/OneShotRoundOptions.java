package org.nas4j.examples;

import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.oneshot.SupernetRounds;
import org.nas4j.report.RoundRunner;
import org.nas4j.report.SteeringSession;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import picocli.CommandLine.Option;

/**
 * {@code nas4j dashboard}'s one-shot rounds ({@code --one-shot spos}): one SPOS supernet of NAS-Bench-201 on the
 * shipped Fashion-MNIST, trained in every round on the paths the round's restriction allows and carried from round
 * to round in {@code DIR/supernet} ({@link SupernetRounds}); the round's strategy ({@code --strategy}) proposes
 * candidates, scored on the supernet's weights.
 */
final class OneShotRoundOptions {

    @Option(names = "--one-shot", description = "spos: rounds retrain one weight-sharing supernet (NAS-Bench-201 on "
            + "the shipped Fashion-MNIST) on the restricted space and score candidates on it; --estimator and "
            + "--table are then not used; default: none (rounds of the search options)")
    String method;

    @Option(names = "--epochs-per-round", defaultValue = "1",
            description = "with --one-shot: supernet training epochs in each round; default ${DEFAULT-VALUE}")
    int epochsPerRound;

    @Option(names = "--steps-per-epoch", defaultValue = "100",
            description = "with --one-shot: steps of 64 images per epoch; default ${DEFAULT-VALUE}")
    int stepsPerEpoch;

    /** Whether rounds are one-shot rounds. */
    boolean enabled() {
        if (method != null && !method.equals("spos")) {
            throw new IllegalArgumentException("--one-shot must be spos, but was '" + method + "'");
        }
        return method != null;
    }

    /**
     * The supernet's space, NAS-Bench-201 built for the shipped Fashion-MNIST (C=8, one cell per stage, 1x28x28);
     * an exception naming {@code name} for any other space.
     */
    ComposedSpace space(String name) {
        if (!name.equals("nas-bench-201")) {
            throw new IllegalArgumentException("--one-shot spos trains a supernet of nas-bench-201 on the shipped "
                    + "Fashion-MNIST, but --space was '" + name + "'; for a space of your own use SupernetRounds from "
                    + "Java (docs/report.md)");
        }
        return NasBench201Definition.of(Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build());
    }

    /** The rounds of {@code session}: train the supernet on the round's space, then search with {@code search}. */
    RoundRunner rounds(SteeringSession session, SearchOptions search) {
        if (!(session.space() instanceof ComposedSpace space)) {
            throw new IllegalArgumentException("--one-shot needs a builder space, but the session's was "
                    + session.space().identity());
        }
        if (epochsPerRound < 1 || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("--epochs-per-round and --steps-per-epoch must be >= 1, but were "
                    + epochsPerRound + " and " + stepsPerEpoch);
        }
        ImageDataset[] parts = FashionMnist.bundled().normalized().train().split(0.2, Seeds.derive(search.seed,
                "validation split"));
        SupernetRounds supernet = SupernetRounds.builder(space, parts[0], parts[1],
                        session.directory().resolve("supernet"))
                .epochsPerRound(epochsPerRound).stepsPerEpoch(stepsPerEpoch).batchSize(64).recalibrationBatches(4)
                .validationSamples(500).seed(search.seed).build();
        return (restricted, journal, round) -> search.builder(restricted,
                        Seeds.derive(search.seed, "round", round), supernet.prepare(restricted, round),
                        Objective.maximize(Metric.VALIDATION_ACCURACY))
                .journal(journal).build().run();
    }
}
