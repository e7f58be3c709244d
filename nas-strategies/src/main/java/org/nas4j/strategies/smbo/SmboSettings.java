package org.nas4j.strategies.smbo;

import java.util.Arrays;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.config.Configuration;

/** The settings PNAS and POPNAS share; validated by their builders. */
record SmboSettings(int beamSize, int initialSize, int ensembleSize, int[] hidden, double learningRate,
                    int trainingSteps, int batchSize, CandidateGenerator generator) {

    /** {@code configuration} with these settings added as fields. */
    Configuration addTo(Configuration configuration) {
        return configuration.with("beamSize", beamSize).with("initialSize", initialSize)
                .with("ensembleSize", ensembleSize).with("hidden", Arrays.toString(hidden))
                .with("learningRate", learningRate).with("trainingSteps", trainingSteps).with("batchSize", batchSize)
                .with("candidates", Configuration.valueOf(generator.toString()));
    }
}
