package org.nas4j.estimators.data;

import java.util.Objects;

/**
 * A training set and a held-out test set. The search uses only {@code train} (split into train and validation);
 * {@code test} is for the final report.
 *
 * @param train the training set
 * @param test  the test set
 */
public record TrainTest(ImageDataset train, ImageDataset test) {
    public TrainTest {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /** Both sets normalised with the training set's per-channel mean and standard deviation. */
    public TrainTest normalized() {
        float[][] stats = train.channelStatistics();
        return new TrainTest(train.normalized(stats[0], stats[1]), test.normalized(stats[0], stats[1]));
    }
}
