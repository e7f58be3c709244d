package org.nas4j.estimators.training;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.nas4j.estimators.data.Augmentation;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.MemoryScope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Assembles batches of a dataset into arrays reused across steps (one pair per batch size). Not thread-safe: one
 * per training run.
 */
public final class Batches {

    private final ImageDataset data;
    private final Map<Integer, INDArray> images = new HashMap<>();
    private final Map<Integer, INDArray> oneHots = new HashMap<>();
    private float[] values = new float[0];
    private float[] labelValues = new float[0];
    private final float[] scratch;
    private final int[] labels;

    /** Batches of {@code data} of at most {@code maxBatch} samples. */
    public Batches(ImageDataset data, int maxBatch) {
        this.data = data;
        this.scratch = new float[data.height() * data.width()];
        this.labels = new int[maxBatch];
    }

    /**
     * Loads samples {@code order[from .. from+count)} (augmented if {@code augmentation} is not null) into the
     * reused image array, their labels into {@link #labels()} and the one-hot array.
     */
    public INDArray load(int[] order, int from, int count, Augmentation augmentation, RandomGenerator rng) {
        int s = data.sampleSize();
        if (values.length != count * s) {
            values = new float[count * s];
            labelValues = new float[count * data.classes()];
        }
        java.util.Arrays.fill(labelValues, 0f);
        for (int k = 0; k < count; k++) {
            int i = order[from + k];
            data.copySample(i, values, k * s);
            labels[k] = data.label(i);
            labelValues[k * data.classes() + labels[k]] = 1f;
        }
        if (augmentation != null) {
            augmentation.apply(values, count, data.channels(), data.height(), data.width(), scratch, rng);
        }
        INDArray x = images.computeIfAbsent(count,
                n -> MemoryScope.track(Nd4j.create(DataType.FLOAT, n, data.channels(), data.height(), data.width())));
        x.data().setData(values);
        INDArray y = oneHots.computeIfAbsent(count, n -> MemoryScope.track(Nd4j.create(DataType.FLOAT, n,
                data.classes())));
        y.data().setData(labelValues);
        return x;
    }

    /** The one-hot labels of the last loaded batch. */
    public INDArray oneHot(int count) {
        return oneHots.get(count);
    }

    /** The labels of the last loaded batch (the first {@code count} entries). */
    public int[] labels() {
        return labels;
    }

    /** How many of the first {@code count} rows of {@code logits} predict the loaded label. */
    public int correct(INDArray logits, int count) {
        float[][] z = logits.toFloatMatrix();
        int ok = 0;
        for (int k = 0; k < count; k++) {
            int arg = 0;
            for (int c = 1; c < z[k].length; c++) {
                if (z[k][c] > z[k][arg]) {
                    arg = c;
                }
            }
            if (arg == labels[k]) {
                ok++;
            }
        }
        return ok;
    }
}
