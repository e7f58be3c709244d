package org.nas4j.estimators.language;

import java.util.random.RandomGenerator;

/**
 * How long each training segment of {@link RecurrentSupernetTrainer} is. The DARTS code (quark0/darts, commit
 * {@code 8876e793763398e3ee62ac1823fa0a3c14e8c2c5}) draws it per segment and scales the segment's learning rate by
 * {@code length / bptt}; the architecture step's validation segment keeps {@code bptt} (its {@code get_batch}
 * default).
 */
public enum SegmentLength {
    /** {@code bptt} every segment (the learning rate unscaled). */
    FIXED {
        @Override
        public int draw(int bptt, RandomGenerator random) {
            return bptt;
        }
    },
    /**
     * {@code rnn/train_search.py}: {@code bptt} with probability 0.95, else {@code int(bptt / 2)} (its normal draw
     * is commented out there), at least 1.
     */
    SEARCH {
        @Override
        public int draw(int bptt, RandomGenerator random) {
            return random.nextDouble() < 0.95 ? bptt : Math.max(1, (int) (bptt / 2.0));
        }
    },
    /**
     * {@code rnn/train.py}: {@code bptt} with probability 0.95, else {@code bptt / 2}, then
     * {@code max(5, int(N(that, 5)))} (Python's {@code int} truncates toward zero, as Java's cast).
     */
    TRAIN {
        @Override
        public int draw(int bptt, RandomGenerator random) {
            double mean = random.nextDouble() < 0.95 ? bptt : bptt / 2.0;
            return Math.max(5, (int) (mean + 5 * random.nextGaussian()));
        }
    };

    /** A segment's length, at least 1, from {@code random}. */
    public abstract int draw(int bptt, RandomGenerator random);
}
