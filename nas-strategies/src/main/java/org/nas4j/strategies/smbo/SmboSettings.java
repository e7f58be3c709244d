package org.nas4j.strategies.smbo;

import java.util.Arrays;

/** The settings PNAS and POPNAS share; validated by their builders. */
record SmboSettings(int beamSize, int initialSize, int ensembleSize, int[] hidden, double learningRate,
                    int trainingSteps, int batchSize, CandidateGenerator generator) {

    @Override
    public String toString() {
        return "beamSize=" + beamSize + ",initialSize=" + initialSize + ",ensembleSize=" + ensembleSize + ",hidden="
                + Arrays.toString(hidden).replace(" ", "") + ",learningRate=" + learningRate + ",trainingSteps="
                + trainingSteps + ",batchSize=" + batchSize + ",candidates=" + generator;
    }
}
