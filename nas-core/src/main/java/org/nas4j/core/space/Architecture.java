package org.nas4j.core.space;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One architecture of a {@link SearchSpace}: one option index for each of the space's choices (the
 * <em>choice vector</em>). Immutable and thread-safe, with value equality (same space identity, same vector).
 * {@link #key()} is the canonical key used for de-duplication (the same for isomorphic cells where the space
 * knows isomorphism); {@link #toString()} is the space's readable form, which {@link SearchSpace#parse} reads back.
 *
 * <pre>{@code
 * Architecture a = space.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
 * a.option("edge 1<-0");   // "nor_conv_3x3"
 * }</pre>
 */
public final class Architecture {
    private final SearchSpace space;
    private final int[] vector;
    private volatile String key;
    private volatile String text;

    private Architecture(SearchSpace space, int[] vector) {
        this.space = space;
        this.vector = vector;
    }

    /**
     * The architecture of {@code space} with the given choice vector. Each entry must be a valid option index of
     * the corresponding choice; validity beyond that (for example a connected graph) is the space's
     * {@link SearchSpace#isValid} and is not checked here.
     */
    public static Architecture of(SearchSpace space, int... vector) {
        Objects.requireNonNull(space, "space");
        List<Choice> choices = space.choices();
        if (vector.length != choices.size()) {
            throw new IllegalArgumentException("choice vector of space '" + space.name() + "' must have length "
                    + choices.size() + ", but had " + vector.length);
        }
        for (int i = 0; i < vector.length; i++) {
            Choice c = choices.get(i);
            if (vector[i] < 0 || vector[i] >= c.size()) {
                throw new IllegalArgumentException("option index of choice '" + c.name() + "' must be in [0, "
                        + c.size() + "), but was " + vector[i]);
            }
        }
        return new Architecture(space, vector.clone());
    }

    /** The space this architecture belongs to. */
    public SearchSpace space() {
        return space;
    }

    /** A copy of the choice vector. */
    public int[] vector() {
        return vector.clone();
    }

    /** The number of choices. */
    public int size() {
        return vector.length;
    }

    /** The option index picked for choice {@code i}. */
    public int index(int i) {
        return vector[i];
    }

    /** The option picked for choice {@code i}. */
    public String option(int i) {
        return space.choices().get(i).option(vector[i]);
    }

    /** The option picked for the choice named {@code choiceName}. */
    public String option(String choiceName) {
        List<Choice> choices = space.choices();
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).name().equals(choiceName)) {
                return option(i);
            }
        }
        throw new IllegalArgumentException("unknown choice '" + choiceName + "' in space '" + space.name() + "'");
    }

    /** This architecture with choice {@code i} set to option index {@code optionIndex}. */
    public Architecture with(int i, int optionIndex) {
        int[] v = vector.clone();
        v[i] = optionIndex;
        return of(space, v);
    }

    /** The canonical key: equal for architectures the space considers the same network. */
    public String key() {
        String k = key;
        if (k == null) {
            k = space.canonicalKey(this);
            key = k;
        }
        return k;
    }

    /** The space's readable form of this architecture; {@link SearchSpace#parse} reads it back. */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = space.format(this);
            text = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture other && Arrays.equals(other.vector, vector) && sameSpace(other.space);
    }

    /** The same space instance, or an equal one: identity strings are built only when the instances differ. */
    private boolean sameSpace(SearchSpace other) {
        return other == space || other.identity().equals(space.identity());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vector);
    }
}
