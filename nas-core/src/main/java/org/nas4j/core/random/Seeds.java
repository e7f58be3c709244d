package org.nas4j.core.random;

import java.nio.charset.StandardCharsets;

/**
 * Derives child seeds from a root seed, so that every trial, sampler and weight initialisation has its own
 * reproducible stream and nothing touches a global generator.
 *
 * <pre>{@code
 * long strategySeed = Seeds.derive(42, "strategy");
 * long trialSeed = Seeds.derive(42, "trial", 17);
 * }</pre>
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed of the child named {@code purpose} of {@code root}. */
    public static long derive(long root, String purpose) {
        long h = SplitMix64.mix(root ^ 0x5851f42d4c957f2dL);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = SplitMix64.mix(h ^ (b & 0xff));
        }
        return h;
    }

    /** The seed of the {@code index}-th child named {@code purpose} of {@code root}. */
    public static long derive(long root, String purpose, long index) {
        return SplitMix64.mix(derive(root, purpose) + index * 0x9e3779b97f4a7c15L);
    }
}
