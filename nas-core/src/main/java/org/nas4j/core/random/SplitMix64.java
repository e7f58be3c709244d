package org.nas4j.core.random;

import java.util.random.RandomGenerator;

/**
 * A small, fast generator whose whole state is one {@code long}, so that strategies can save and restore
 * it exactly (SplitMix64 of Steele, Lea and Flood). Not thread-safe: give each user its own instance.
 *
 * <pre>{@code
 * SplitMix64 rng = new SplitMix64(42);
 * long saved = rng.state();
 * int a = rng.nextInt(10);
 * SplitMix64 again = SplitMix64.fromState(saved);   // again.nextInt(10) == a
 * }</pre>
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    /** A generator seeded with {@code seed}; the seed is mixed so that nearby seeds give unrelated streams. */
    public SplitMix64(long seed) {
        this.state = mix(seed);
    }

    private SplitMix64(long rawState, boolean raw) {
        this.state = rawState;
    }

    /** A generator that continues exactly where the one whose {@link #state()} was saved stood. */
    public static SplitMix64 fromState(long state) {
        return new SplitMix64(state, true);
    }

    /** The whole state: pass it to {@link #fromState(long)} to continue the same stream. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** The SplitMix64 finaliser: a bijective mix of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
