package org.nas4j.estimators.data;

import java.util.SplittableRandom;

/**
 * Tiny one-channel test images whose mean brightness encodes the class: learnable in a few steps, cheap on a busy
 * machine. Pixel {@code k} of sample {@code i} is {@code label * step + offset + noise * u} with {@code u} uniform in
 * [0, 1); the label is drawn first, then the pixels, from one generator seeded with {@code seed}.
 */
public final class BrightnessImages {
    private BrightnessImages() {
    }

    /** {@code n} images of {@code size x size} pixels and {@code classes} classes. */
    public static ImageDataset of(int n, long seed, int size, int classes, double step, double offset,
            double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        int pixels = size * size;
        float[] v = new float[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
            for (int k = 0; k < pixels; k++) {
                v[i * pixels + k] = (float) (labels[i] * step + offset + noise * rng.nextDouble());
            }
        }
        return new ImageDataset(v, labels, 1, size, size, classes);
    }

    /** 10 classes, brightness {@code 0.1 * label + 0.3 * u}. */
    public static ImageDataset tenClasses(int n, long seed, int size) {
        return of(n, seed, size, 10, 0.1, 0, 0.3);
    }
}
