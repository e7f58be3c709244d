package org.nas4j.core.space.builder;

import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.SearchSpace;

/**
 * A space written with the {@link SpaceBuilder}: the {@link ComposedSpace} that describes the same networks as a
 * space, and the translation of architectures between the two. It is what the one compiler reads, so that a space
 * gets its stand-alone networks, its supernet and its DL4J export without any code of its own
 * ({@link SearchSpace#composedForm()}). The two spaces have the same choice vector, choice for choice: an
 * architecture translates by keeping its vector. Immutable and thread-safe.
 *
 * <pre>{@code
 * ComposedForm form = NasBench201Space.standard().composedForm().orElseThrow();
 * Architecture a = form.toComposed(nb201.parse("|nor_conv_3x3~0|+|...|"));   // an architecture of form.space()
 * long params = form.space().parameters(a);
 * }</pre>
 */
public final class ComposedForm {
    private final SearchSpace original;
    private final ComposedSpace space;

    private ComposedForm(SearchSpace original, ComposedSpace space) {
        this.original = original;
        this.space = space;
    }

    /** The form of a space made with the builder: the space itself. */
    public static ComposedForm of(ComposedSpace space) {
        return new ComposedForm(Objects.requireNonNull(space, "space"), space);
    }

    /**
     * The form of {@code original} written as {@code composed}, whose choices are {@code original}'s, in the same
     * order and with the same number of options each; an exception naming the first choice that differs.
     */
    public static ComposedForm sameChoices(SearchSpace original, ComposedSpace composed) {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(composed, "composed");
        List<Choice> a = original.choices();
        List<Choice> b = composed.choices();
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("composed space '" + composed.name() + "' must have the "
                    + a.size() + " choices of space '" + original.name() + "', but had " + b.size());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).options().equals(b.get(i).options())) {
                throw new IllegalArgumentException("choice " + i + " of composed space '" + composed.name()
                        + "' must have the options " + a.get(i).options() + " of '" + a.get(i).name()
                        + "', but had " + b.get(i).options());
            }
        }
        return new ComposedForm(original, composed);
    }

    /** The space this is the form of. */
    public SearchSpace original() {
        return original;
    }

    /** The space written with the builder. */
    public ComposedSpace space() {
        return space;
    }

    /** The architecture of {@link #space()} that is the same network as {@code architecture} of the original. */
    public Architecture toComposed(Architecture architecture) {
        requireOf(architecture, original);
        return original == space ? architecture : Architecture.of(space, architecture.vector());
    }

    /** The architecture of the original space that is the same network as {@code architecture} of the form. */
    public Architecture fromComposed(Architecture architecture) {
        requireOf(architecture, space);
        return original == space ? architecture : Architecture.of(original, architecture.vector());
    }

    private static void requireOf(Architecture architecture, SearchSpace space) {
        Objects.requireNonNull(architecture, "architecture");
        if (architecture.space() != space && !architecture.space().identity().equals(space.identity())) {
            throw new IllegalArgumentException("architecture must belong to space " + space.identity()
                    + ", but was of " + architecture.space().identity());
        }
    }

    @Override
    public String toString() {
        return "ComposedForm[" + original.name() + " as " + space.identity() + "]";
    }
}
