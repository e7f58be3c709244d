package org.nas4j.core.space.builder;

/** What a cell outputs. */
public enum CellOutput {
    /** Its last node (NAS-Bench-201): the cell has the channels {@code C} of its nodes. */
    LAST_NODE,
    /** The concatenation of all its nodes (DARTS): {@code nodes * C} channels. */
    CONCAT_ALL,
    /** The concatenation of the nodes that no other node of the architecture reads (NASNet, PNAS). */
    CONCAT_UNUSED,
    /**
     * The concatenation of every state, the cell inputs included, that no node of the architecture reads (ENAS'
     * micro cells, {@code _fixed_combine}); in a reduction cell an unused input is first halved by the catalogue's
     * {@link OpCatalogue.CellInputs#unusedInput()} op at stride 2.
     */
    CONCAT_UNUSED_STATES
}
