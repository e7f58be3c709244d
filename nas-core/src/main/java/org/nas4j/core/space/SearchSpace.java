package org.nas4j.core.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.nas4j.core.space.builder.ComposedForm;

/**
 * A search space: a list of {@link Choice}s whose resolution (an {@link Architecture}) gives one network
 * described as cell {@link Graph}s. Sampling, mutation, neighbours and validity work on the generic choice
 * vector, so every multi-trial strategy works on every space; a space overrides them only where it has rules of
 * its own (for example NAS-Bench-101's pruning and edge limit).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SearchSpace {

    /** Attempts made by {@link #sample} and {@link #mutate} before they give up on finding a valid architecture. */
    int MAX_ATTEMPTS = 100_000;

    /** A short name, e.g. {@code "nas-bench-201"}. */
    String name();

    /**
     * A stable text that identifies this space and its configuration; two spaces with equal identities have
     * the same choices and the same meaning. A journal written for one space is refused by another.
     */
    String identity();

    /** The choices, in the order of the choice vector. */
    List<Choice> choices();

    /** The readable form of {@code architecture} (e.g. a NAS-Bench-201 arch string). */
    String format(Architecture architecture);

    /** Reads the form written by {@link #format}; an exception naming the bad token for malformed text. */
    Architecture parse(String text);

    /** The cells of {@code architecture} as concrete graphs (one for NAS-Bench-201, normal and reduce for DARTS). */
    List<Graph> cells(Architecture architecture);

    /**
     * This space written with the space builder, if it can be: the {@link ComposedForm} from which the one compiler
     * builds its stand-alone networks and its supernet. Empty by default: such a space needs a network factory of
     * its own. A {@link org.nas4j.core.space.builder.ComposedSpace} is its own form; a built-in space that the
     * builder expresses (NAS-Bench-201) gives its definition.
     */
    default Optional<ComposedForm> composedForm() {
        return Optional.empty();
    }

    /** Whether {@code architecture} is a legal member of this space. All choice vectors are, by default. */
    default boolean isValid(Architecture architecture) {
        return true;
    }

    /**
     * The canonical key: equal for architectures that are the same network. The default is the readable form;
     * spaces with a notion of isomorphism override it.
     */
    default String canonicalKey(Architecture architecture) {
        return format(architecture);
    }

    /**
     * The number of choice vectors ({@code product of option counts}), valid or not; saturates at
     * {@link Long#MAX_VALUE} for spaces with more vectors than a long can count (e.g. 64 binary choices).
     */
    default long vectorCount() {
        long n = 1;
        for (Choice c : choices()) {
            if (n > Long.MAX_VALUE / c.size()) {
                return Long.MAX_VALUE;
            }
            n *= c.size();
        }
        return n;
    }

    /** A valid architecture drawn uniformly over valid choice vectors (rejection sampling). */
    default Architecture sample(RandomGenerator rng) {
        List<Choice> choices = choices();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] v = new int[choices.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextInt(choices.get(i).size());
            }
            Architecture a = Architecture.of(this, v);
            if (isValid(a)) {
                return a;
            }
        }
        throw new IllegalStateException("no valid architecture of space '" + name() + "' found in "
                + MAX_ATTEMPTS + " samples");
    }

    /**
     * A valid architecture that differs from {@code parent} in exactly one choice, picked uniformly among the
     * choices that have more than one option, set to a different option uniformly; resampled while invalid.
     */
    default Architecture mutate(Architecture parent, RandomGenerator rng) {
        List<Choice> choices = choices();
        List<Integer> mutable = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).size() > 1) {
                mutable.add(i);
            }
        }
        if (mutable.isEmpty()) {
            throw new IllegalStateException("space '" + name() + "' has no choice with more than one option");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int i = mutable.get(rng.nextInt(mutable.size()));
            int n = choices.get(i).size();
            int option = (parent.index(i) + 1 + rng.nextInt(n - 1)) % n;
            Architecture child = parent.with(i, option);
            if (isValid(child)) {
                return child;
            }
        }
        throw new IllegalStateException("no valid mutation of " + parent + " found in " + MAX_ATTEMPTS + " attempts");
    }

    /** Every valid architecture that differs from {@code center} in exactly one choice. */
    default List<Architecture> neighbours(Architecture center) {
        List<Architecture> out = new ArrayList<>();
        List<Choice> choices = choices();
        for (int i = 0; i < choices.size(); i++) {
            for (int o = 0; o < choices.get(i).size(); o++) {
                if (o != center.index(i)) {
                    Architecture n = center.with(i, o);
                    if (isValid(n)) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }
}
