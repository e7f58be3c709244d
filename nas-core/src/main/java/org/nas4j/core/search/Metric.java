package org.nas4j.core.search;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named measurement of a trial (accuracy, parameters, latency, ...), with the direction in which it is
 * better and whether strategies may see it. Test accuracy, for example, is reported but never shown to a
 * strategy. Immutable, serializable (executors send metrics back from other machines); equal by name.
 *
 * <pre>{@code
 * Metric energy = Metric.custom("energy_mj", Metric.Direction.MINIMIZE);
 * }</pre>
 */
public final class Metric implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Which way a metric is better. */
    public enum Direction {
        MAXIMIZE, MINIMIZE
    }

    public static final Metric VALIDATION_ACCURACY = new Metric("valid_acc", Direction.MAXIMIZE, true);
    public static final Metric VALIDATION_LOSS = new Metric("valid_loss", Direction.MINIMIZE, true);
    public static final Metric TRAIN_ACCURACY = new Metric("train_acc", Direction.MAXIMIZE, true);
    /** Reported beside the search metric, never shown to a strategy. */
    public static final Metric TEST_ACCURACY = new Metric("test_acc", Direction.MAXIMIZE, false);
    public static final Metric PARAMETERS = new Metric("params", Direction.MINIMIZE, true);
    /** Multiply-adds of one forward pass of one sample. */
    public static final Metric FLOPS = new Metric("flops", Direction.MINIMIZE, true);
    public static final Metric LATENCY_MS = new Metric("latency_ms", Direction.MINIMIZE, true);
    public static final Metric TRAINING_SECONDS = new Metric("train_seconds", Direction.MINIMIZE, true);
    public static final Metric MEMORY_BYTES = new Metric("memory_bytes", Direction.MINIMIZE, true);
    /** Epochs (or another fidelity unit) the trial was actually trained for. */
    public static final Metric EPOCHS = new Metric("epochs", Direction.MINIMIZE, true);

    /**
     * Trainable values a trial took from its parent trial's trained weights (weight inheritance); reported by
     * estimators that support inheritance, for trials that name a parent (0 when the parent's weights were missing).
     */
    public static final Metric INHERITED_PARAMETERS = new Metric("inherited_params", Direction.MAXIMIZE, true);

    /**
     * Perplexity of a language model on the validation split, {@code exp} of the mean cross-entropy per token in
     * nats (Mikolov et al.; DARTS' and ENAS' recurrent cell searches): lower is better.
     */
    public static final Metric VALIDATION_PERPLEXITY = new Metric("valid_ppl", Direction.MINIMIZE, true);
    /** Perplexity on the test split; reported beside the search metric, never shown to a strategy. */
    public static final Metric TEST_PERPLEXITY = new Metric("test_ppl", Direction.MINIMIZE, false);

    private static final List<Metric> STANDARD = List.of(VALIDATION_ACCURACY, VALIDATION_LOSS, TRAIN_ACCURACY,
            TEST_ACCURACY, PARAMETERS, FLOPS, LATENCY_MS, TRAINING_SECONDS, MEMORY_BYTES, EPOCHS,
            INHERITED_PARAMETERS, VALIDATION_PERPLEXITY, TEST_PERPLEXITY);

    private final String name;
    private final Direction direction;
    private final boolean visibleToStrategy;

    private Metric(String name, Direction direction, boolean visibleToStrategy) {
        this.name = name;
        this.direction = direction;
        this.visibleToStrategy = visibleToStrategy;
    }

    /** A user-defined metric, visible to strategies. Its name must not be one of the standard metrics'. */
    public static Metric custom(String name, Direction direction) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if (name.isBlank() || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("metric name must be letters, digits, '_', '.', '-', but was '"
                    + name + "'");
        }
        for (Metric m : STANDARD) {
            if (m.name.equals(name)) {
                throw new IllegalArgumentException("metric name '" + name + "' is a standard metric: use Metric."
                        + "named(\"" + name + "\")");
            }
        }
        return new Metric(name, direction, true);
    }

    /** A custom metric that strategies never see (like test accuracy). */
    public static Metric reportOnly(String name, Direction direction) {
        Metric m = custom(name, direction);
        return new Metric(m.name, m.direction, false);
    }

    /** The standard metric with {@code name}, or a custom one (to maximise, visible) if none has it. */
    public static Metric named(String name) {
        return standard(name).orElseGet(() -> custom(name, Direction.MAXIMIZE));
    }

    /**
     * The standard metric with {@code name} ({@code valid_acc}, {@code test_acc}, {@code params}, ...), or empty for
     * a custom name. The journal uses it to tell which metrics need their direction and visibility written down.
     */
    public static Optional<Metric> standard(String name) {
        for (Metric m : STANDARD) {
            if (m.name.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public String name() {
        return name;
    }

    public Direction direction() {
        return direction;
    }

    /** False for metrics reported to the user only (test accuracy): the runner hides them from strategies. */
    public boolean visibleToStrategy() {
        return visibleToStrategy;
    }

    /** {@code value} oriented so that larger is better. */
    public double oriented(double value) {
        return direction == Direction.MAXIMIZE ? value : -value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metric m && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
