package org.nas4j.core.space.builder;

/**
 * What is wrong with a space definition; every {@link SpaceDefinitionException} names one. The custom spaces
 * guide (docs/spaces/custom.md) explains each with an example message.
 */
public enum DefinitionError {
    /** A part needs something the definition lacks (an input shape, a head, a cell node). */
    MISSING_PART,
    /** An op that the catalogue does not hold. */
    UNKNOWN_OP,
    /** An op choice, value choice or node op list without options. */
    EMPTY_CHOICE,
    /** A value that no value choice in scope declares (in a width or an op name's {@code {name}}). */
    UNKNOWN_VALUE,
    /** A value choice that no layer uses: it would give two choice vectors for one network. */
    UNUSED_VALUE,
    /** A value whose options do not fit its use (a width that is not a positive number). */
    BAD_VALUE,
    /** Two parts, values or cell states with the same name where names must be unique. */
    DUPLICATE_NAME,
    /** A cell node that reads a state the cell does not have. */
    UNKNOWN_INPUT,
    /** Cell nodes that read each other in a circle. */
    CYCLE,
    /** An input choice of k of n inputs with k outside [1, n]. */
    BAD_INPUT_CHOICE,
    /** A repeat whose bounds are not {@code 0 <= min <= max, max >= 1}. */
    BAD_REPEAT,
    /** Shapes that cannot meet: a sum or concatenation of different sizes, channels an op cannot change, a map
     *  that shrinks below one pixel. */
    SHAPE_MISMATCH
}
