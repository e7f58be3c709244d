package org.nas4j.core.space.builder;

import java.util.Objects;

/**
 * A space definition that cannot be built, with the {@link DefinitionError} that says what kind of mistake it is
 * and a message that names the part and the values.
 *
 * <pre>{@code
 * try {
 *     builder.build();
 * } catch (SpaceDefinitionException e) {
 *     e.error();   // e.g. DefinitionError.UNKNOWN_OP
 * }
 * }</pre>
 */
public final class SpaceDefinitionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final DefinitionError error;

    /** An exception of {@code error}; the message is prefixed with the error's name. */
    public SpaceDefinitionException(DefinitionError error, String message) {
        super(Objects.requireNonNull(error, "error") + ": " + message);
        this.error = error;
    }

    /** An exception of {@code error} caused by {@code cause}. */
    public SpaceDefinitionException(DefinitionError error, String message, Throwable cause) {
        this(error, message);
        initCause(cause);
    }

    /** What kind of mistake the definition has. */
    public DefinitionError error() {
        return error;
    }
}
