package org.nas4j.estimators.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A layer that keeps running statistics of its inputs for inference (batch norm), registered with its
 * {@link ParameterSet} so that the statistics of a whole network can be recomputed: reset them, switch to a
 * cumulative average, run training passes over some batches, switch back. This is how an architecture evaluated on
 * a trained supernet gets statistics of its own path (SPOS' batch-norm recalibration).
 *
 * <pre>{@code
 * for (RunningStatistics s : params.runningStatistics()) { s.resetRunningStatistics(); s.averageCumulatively(true); }
 * for (each batch) network.forward(batch, Mode.TRAINING);
 * for (RunningStatistics s : params.runningStatistics()) { s.averageCumulatively(false); }
 * }</pre>
 */
public interface RunningStatistics {

    /** Sets the running statistics to their initial values (mean 0, variance 1) and the count of batches to 0. */
    void resetRunningStatistics();

    /**
     * Whether the following training passes update the running statistics with the cumulative average of every
     * batch since the last {@link #resetRunningStatistics() reset} (or since the layer was made): the {@code k}-th
     * batch weighs {@code 1/k}, as PyTorch's {@code momentum=None}, instead of the layer's exponential moving
     * average. Off by default.
     */
    void averageCumulatively(boolean cumulative);

    /**
     * Whether inference passes normalize with the batch's statistics too, as training passes do, instead of the
     * running ones (which they then neither read nor update): ENAS' micro search child, whose batch norms never use
     * moving averages. Compilers switch it on for a space that asks for it
     * ({@code ComposedSpace.batchStatisticsInInference()}). Off by default.
     *
     * @throws UnsupportedOperationException by a layer that cannot (the default)
     */
    default void batchStatisticsInInference(boolean always) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " cannot normalize with batch statistics in inference");
    }

    /** Whether inference passes normalize with the batch's statistics ({@link #batchStatisticsInInference(boolean)}). */
    default boolean batchStatisticsInInference() {
        return false;
    }

    /**
     * Runs {@code work} with every layer of {@code layers} set to {@link #batchStatisticsInInference(boolean)
     * batchStatisticsInInference(always)}, then sets back the layers it changed, also when {@code work} throws.
     */
    static <T> T withBatchStatisticsInInference(List<? extends RunningStatistics> layers, boolean always,
            Supplier<T> work) {
        List<RunningStatistics> changed = new ArrayList<>();
        try {
            for (RunningStatistics r : layers) {
                if (r.batchStatisticsInInference() != always) {
                    r.batchStatisticsInInference(always);
                    changed.add(r);
                }
            }
            return work.get();
        } finally {
            changed.forEach(r -> r.batchStatisticsInInference(!always));
        }
    }
}
