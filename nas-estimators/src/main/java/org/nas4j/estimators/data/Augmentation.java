package org.nas4j.estimators.data;

import java.util.random.RandomGenerator;
import org.nas4j.core.config.Configuration;

/**
 * Training-time augmentation applied in place to a batch of samples in NCHW order: random crop with zero padding
 * (shift by up to {@code padding} pixels) and random horizontal flip, as used for CIFAR and Fashion-MNIST.
 * Immutable; the randomness comes from the generator passed in, so a seeded trial augments reproducibly.
 *
 * @param padding        pixels of zero padding for the random crop (0 = no crop)
 * @param horizontalFlip whether to flip each sample left-right with probability 1/2
 */
public record Augmentation(int padding, boolean horizontalFlip) {
    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, but was " + padding);
        }
    }

    /** Random crop with {@code padding} and horizontal flips (CIFAR: padding 4). */
    public static Augmentation cropAndFlip(int padding) {
        return new Augmentation(padding, true);
    }

    /** {@code augmentation(padding=4, horizontalFlip=true)}. */
    public Configuration configuration() {
        return Configuration.of("augmentation").with("padding", padding).with("horizontalFlip", horizontalFlip);
    }

    /** Whether this augmentation changes anything. */
    public boolean isIdentity() {
        return padding == 0 && !horizontalFlip;
    }

    /**
     * Augments {@code batch} samples of shape {@code c x h x w} stored in {@code x}, using {@code scratch} (at least
     * {@code h * w} floats) as temporary space.
     */
    public void apply(float[] x, int batch, int c, int h, int w, float[] scratch, RandomGenerator rng) {
        if (isIdentity()) {
            return;
        }
        int hw = h * w;
        for (int n = 0; n < batch; n++) {
            int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            boolean flip = horizontalFlip && rng.nextBoolean();
            for (int ch = 0; ch < c; ch++) {
                int base = (n * c + ch) * hw;
                System.arraycopy(x, base, scratch, 0, hw);
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    for (int xx = 0; xx < w; xx++) {
                        int sx = (flip ? w - 1 - xx : xx) + dx;
                        x[base + y * w + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? scratch[sy * w + sx] : 0f;
                    }
                }
            }
        }
    }
}
