package org.nas4j.estimators.zerocost;

import java.util.Objects;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one batch of training images that data-dependent zero-cost scores read: drawn once from the normalised
 * training part by a seed, the same for every architecture scored.
 *
 * @param images     the images, {@code [B, C, H, W]} flattened in C order, normalised as training normalises them
 * @param imageShape {@code [B, C, H, W]}
 * @param labels     one label per image
 * @param classes    the number of classes
 */
record ProxyBatch(float[] images, long[] imageShape, int[] labels, int classes) {

    /**
     * Draws {@code batchSize} images of {@code data}'s normalised training part, picked by {@code seed}.
     *
     * @throws IllegalArgumentException if the training part holds fewer than {@code batchSize} images
     */
    static ProxyBatch draw(TrainTest data, int batchSize, long seed) {
        Objects.requireNonNull(data, "data");
        ImageDataset train = data.normalized().train();
        if (batchSize < 1 || batchSize > train.size()) {
            throw new IllegalArgumentException("batchSize must be in [1, " + train.size() + "] (the training "
                    + "images), but was " + batchSize);
        }
        int[] order = ImageDataset.permutation(train.size(), new SplitMix64(Seeds.derive(seed, "proxy batch")));
        int sample = train.sampleSize();
        float[] images = new float[batchSize * sample];
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            train.copySample(order[i], images, i * sample);
            labels[i] = train.label(order[i]);
        }
        long[] shape = {batchSize, train.channels(), train.height(), train.width()};
        return new ProxyBatch(images, shape, labels, train.classes());
    }

    /** The images in {@code type}. */
    INDArray images(DataType type) {
        return Nd4j.create(images, imageShape, 'c').castTo(type);
    }

    /** The labels one-hot, {@code [B, classes]}, in {@code type}. */
    INDArray oneHot(DataType type) {
        return SoftmaxCrossEntropy.oneHot(labels, classes, type);
    }
}
