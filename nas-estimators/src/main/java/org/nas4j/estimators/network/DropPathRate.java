package org.nas4j.estimators.network;

/**
 * The current drop-path probability of a network's cells, shared by all its drop-path points and set by the
 * trainer once per epoch (the reference's {@code model.drop_path_prob = drop_path_prob * epoch / epochs}, see
 * {@link org.nas4j.spaces.darts.DropPathSchedule}). Training state, not configuration: mutable, not
 * thread-safe, owned by one network.
 *
 * <pre>{@code
 * DropPathSchedule schedule = new DropPathSchedule(0.2, epochs);
 * net.dropPathRate().orElseThrow().set(schedule.probability(epoch));
 * }</pre>
 */
public final class DropPathRate {

    private double probability;

    /** A rate starting at 0. */
    public DropPathRate() {
    }

    /** A rate starting at {@code probability}, in [0, 1). */
    public DropPathRate(double probability) {
        set(probability);
    }

    /** The probability of dropping an op's output for one sample in training, in [0, 1). */
    public double get() {
        return probability;
    }

    /** Sets the probability, in [0, 1). */
    public void set(double probability) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1), but was " + probability);
        }
        this.probability = probability;
    }
}
