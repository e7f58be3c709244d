package org.nas4j.spaces.darts;

/**
 * The reference's scheduled drop-path, as data for the training engine: in epoch {@code e} (0-based) of
 * {@code epochs}, the drop probability is {@code dropPathProb * e / epochs} (so 0 in the first epoch, rising
 * linearly). While training, the output of every op of a cell except an identity (a stride-1
 * {@code skip_connect}, see {@link DartsOps#isDropPathTarget}) is dropped per sample with that probability and
 * otherwise scaled by {@code 1 / (1 - p)}; nothing is dropped at evaluation. The reference's defaults are 0.2 over
 * 600 epochs on CIFAR-10 and 0 (off) on ImageNet. Immutable and thread-safe.
 *
 * <pre>{@code
 * new DropPathSchedule(0.2, 600).probability(300);   // 0.1
 * }</pre>
 *
 * @param dropPathProb the probability reached at the end of training, in [0, 1)
 * @param epochs       the number of training epochs, at least 1
 */
public record DropPathSchedule(double dropPathProb, int epochs) {

    /** The CIFAR-10 default of the reference training script: 0.2 over 600 epochs. */
    public static final DropPathSchedule CIFAR_DEFAULT = new DropPathSchedule(0.2, 600);

    public DropPathSchedule {
        if (!(dropPathProb >= 0 && dropPathProb < 1)) {
            throw new IllegalArgumentException("dropPathProb must be in [0, 1), but was " + dropPathProb);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, but was " + epochs);
        }
    }

    /** The drop probability used during epoch {@code epoch} (0-based, in [0, epochs)). */
    public double probability(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("epoch must be in [0, " + epochs + "), but was " + epoch);
        }
        return dropPathProb * epoch / epochs;
    }
}
