package org.nas4j.core.space;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A space with some options of its choices taken out ({@link SpaceRestriction#applyTo}): the next round of a steered
 * search. It has the wrapped space's choices, readable form and cells, and its architectures <em>are</em> the wrapped
 * space's architectures (so estimators, supernets and tables built for the wrapped space take them unchanged); what
 * changes is which of them it proposes. {@link #sample} draws each choice uniformly among its allowed options,
 * {@link #mutate} moves one choice to another allowed option, and {@link #isValid} refuses a removed option or a
 * pinned choice set otherwise: so a strategy that proposes through the space never proposes a removed option.
 *
 * <p>Its {@link #identity()} is the wrapped space's followed by the restriction's text (the wrapped identity alone
 * when nothing is restricted), so a journal of one round is refused by a round on another restriction. Immutable
 * and thread-safe.
 */
public final class RestrictedSpace implements SearchSpace {
    private final SearchSpace space;
    private final SpaceRestriction restriction;
    private final int[][] allowed;

    RestrictedSpace(SearchSpace space, SpaceRestriction restriction, boolean[][] allowedMask) {
        this.space = space;
        this.restriction = restriction;
        this.allowed = new int[allowedMask.length][];
        for (int i = 0; i < allowedMask.length; i++) {
            List<Integer> kept = new ArrayList<>();
            for (int o = 0; o < allowedMask[i].length; o++) {
                if (allowedMask[i][o]) {
                    kept.add(o);
                }
            }
            allowed[i] = kept.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The space this restricts. */
    public SearchSpace unrestricted() {
        return space;
    }

    /** What is taken out. */
    public SpaceRestriction restriction() {
        return restriction;
    }

    /** The option names choice {@code i} may take here, in the choice's order. */
    public List<String> allowedOptions(int i) {
        List<String> out = new ArrayList<>();
        for (int o : allowed[i]) {
            out.add(space.choices().get(i).option(o));
        }
        return out;
    }

    /** Whether choice {@code i} may take its option {@code option} here. */
    public boolean allowsOption(int i, int option) {
        return contains(allowed[i], option);
    }

    /** Whether every choice of {@code architecture} holds an allowed option (the wrapped space's rules aside). */
    public boolean allows(Architecture architecture) {
        for (int i = 0; i < allowed.length; i++) {
            if (!contains(allowed[i], architecture.index(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(int[] options, int option) {
        for (int o : options) {
            if (o == option) {
                return true;
            }
        }
        return false;
    }

    /** {@code architecture} as one of the wrapped space's (it may have been built on this space's choices). */
    private Architecture unwrapped(Architecture architecture) {
        return architecture.space() == space ? architecture : Architecture.of(space, architecture.vector());
    }

    @Override
    public String name() {
        return space.name();
    }

    @Override
    public String identity() {
        return restriction.isEmpty() ? space.identity() : space.identity() + " restricted to {" + restriction.text() + "}";
    }

    @Override
    public List<Choice> choices() {
        return space.choices();
    }

    @Override
    public String format(Architecture architecture) {
        return space.format(unwrapped(architecture));
    }

    @Override
    public Architecture parse(String text) {
        return space.parse(text);
    }

    @Override
    public List<Graph> cells(Architecture architecture) {
        return space.cells(unwrapped(architecture));
    }

    @Override
    public boolean isValid(Architecture architecture) {
        return allows(architecture) && space.isValid(unwrapped(architecture));
    }

    @Override
    public String canonicalKey(Architecture architecture) {
        return space.canonicalKey(unwrapped(architecture));
    }

    /** The number of choice vectors made of allowed options (saturating at {@link Long#MAX_VALUE}). */
    @Override
    public long vectorCount() {
        long n = 1;
        for (int[] options : allowed) {
            if (n > Long.MAX_VALUE / options.length) {
                return Long.MAX_VALUE;
            }
            n *= options.length;
        }
        return n;
    }

    /** A valid architecture drawn uniformly over the valid vectors of allowed options (rejection sampling). */
    @Override
    public Architecture sample(RandomGenerator rng) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] v = new int[allowed.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = allowed[i][rng.nextInt(allowed[i].length)];
            }
            Architecture a = Architecture.of(space, v);
            if (space.isValid(a)) {
                return a;
            }
        }
        throw new IllegalStateException("no valid architecture of space '" + name() + "' restricted to {"
                + restriction.text() + "} found in " + MAX_ATTEMPTS + " samples");
    }

    /**
     * A valid architecture that differs from {@code parent} in one choice with more than one allowed option, moved to
     * another allowed option; the other choices keep the parent's options, except that options a parent from an
     * earlier, wider round holds and this space removes are first redrawn among the allowed ones.
     */
    @Override
    public Architecture mutate(Architecture parent, RandomGenerator rng) {
        List<Integer> mutable = new ArrayList<>();
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i].length > 1) {
                mutable.add(i);
            }
        }
        if (mutable.isEmpty()) {
            throw new IllegalStateException("space '" + name() + "' restricted to {" + restriction.text()
                    + "} has no choice with more than one allowed option");
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int[] v = parent.vector();
            for (int i = 0; i < v.length; i++) {
                if (!contains(allowed[i], v[i])) {
                    v[i] = allowed[i][rng.nextInt(allowed[i].length)];
                }
            }
            int i = mutable.get(rng.nextInt(mutable.size()));
            int[] options = allowed[i];
            int at = indexIn(options, v[i]);
            v[i] = options[(at + 1 + rng.nextInt(options.length - 1)) % options.length];
            Architecture child = Architecture.of(space, v);
            if (space.isValid(child)) {
                return child;
            }
        }
        throw new IllegalStateException("no valid mutation of " + parent + " found in " + MAX_ATTEMPTS + " attempts");
    }

    private static int indexIn(int[] options, int option) {
        for (int k = 0; k < options.length; k++) {
            if (options[k] == option) {
                return k;
            }
        }
        throw new IllegalStateException("option " + option + " is not allowed");
    }

    /** Every valid architecture of this space that differs from {@code center} in exactly one choice. */
    @Override
    public List<Architecture> neighbours(Architecture center) {
        List<Architecture> out = new ArrayList<>();
        Architecture c = unwrapped(center);
        for (int i = 0; i < allowed.length; i++) {
            for (int o : allowed[i]) {
                if (o != c.index(i)) {
                    Architecture n = c.with(i, o);
                    if (isValid(n)) {
                        out.add(n);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return identity();
    }
}
