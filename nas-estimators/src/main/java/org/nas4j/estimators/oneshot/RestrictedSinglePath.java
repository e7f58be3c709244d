package org.nas4j.estimators.oneshot;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.network.ComposedSupernet;

/**
 * SPOS' uniform single-path training kept to the architectures a space proposes: before every weight step of a
 * {@link SupernetTrainer}, one architecture is drawn from {@code space} ({@link SearchSpace#sample}, so a
 * {@link RestrictedSpace} draws each choice among its allowed options only) and the step trains its path
 * ({@link ComposedSupernet#usePath}). An option an analyst removed is then never activated by the training, where
 * the supernet's own {@code singlePath} policy would draw every candidate of every edge.
 *
 * <p>The generator restarts at every epoch from the seed and the epoch's index, as the trainer reseeds its policy,
 * so a trainer restored from an epoch's checkpoint draws the same paths as one that was never stopped. Not
 * thread-safe (the trainer's).
 *
 * <pre>{@code
 * SearchSpace round2 = SpaceRestriction.none().remove("a", "max_pool_3x3").applyTo(space);
 * SupernetTrainer trainer = new RestrictedSinglePath(supernet, round2, 7)
 *         .installOn(SupernetTrainer.builder(supernet, train).architectureFraction(0).epochs(2)).build();
 * }</pre>
 */
public final class RestrictedSinglePath {
    private final ComposedSupernet supernet;
    private final SearchSpace space;
    private final long seed;
    private SplittableRandom rng;

    /**
     * Paths of {@code supernet} drawn from {@code space}: the supernet's own space, or a {@link RestrictedSpace} of
     * it; an exception naming both spaces otherwise.
     *
     * @param seed root seed of the draws (each epoch derives its own)
     */
    public RestrictedSinglePath(ComposedSupernet supernet, SearchSpace space, long seed) {
        this.supernet = Objects.requireNonNull(supernet, "supernet");
        this.space = Objects.requireNonNull(space, "space");
        SearchSpace own = space instanceof RestrictedSpace r ? r.unrestricted() : space;
        if (!own.equals(supernet.space())) {
            throw new IllegalArgumentException("space must be the supernet's space or a restriction of it ("
                    + supernet.space().identity() + "), but was " + space.identity());
        }
        this.seed = seed;
        this.rng = new SplittableRandom(Seeds.derive(seed, "path", 0));
    }

    /** {@code trainer} with this drawing the path of each of its weight steps; returns it for chaining. */
    public SupernetTrainer.Builder installOn(SupernetTrainer.Builder trainer) {
        return trainer.onEpochStart(this::startEpoch).beforeWeightStep(this::nextPath);
    }

    /** Restarts the draws for epoch {@code epoch} (from 0). */
    public void startEpoch(int epoch) {
        rng = new SplittableRandom(Seeds.derive(seed, "path", epoch));
    }

    /** Draws an architecture of the space and makes the supernet's following passes run its path. */
    public void nextPath() {
        supernet.usePath(supernet.path(space.sample(rng)));
    }
}
