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
    CONCAT_UNUSED_STATES,
    /**
     * Every state, the cell inputs included, that no node of the architecture reads, each through ReLU and a 1x1
     * convolution of its own to the cell's width ({@link EnasOps#RELU_CONV_1X1}), summed, then batch norm
     * ({@link EnasOps#BATCH_NORM}): ENAS' micro search child ({@code _enas_layer}'s {@code final_conv}, whose weight
     * holds one {@code C x C} block per state, gathered for the unused ones; a 1x1 convolution of a concatenation is
     * the sum of its blocks' convolutions). The cell keeps the width {@code C} whatever the architecture, so its
     * supernet runs the projection of the states the path leaves unused. Not for a reduction cell (the search child
     * reduces before its cell).
     */
    PROJECT_UNUSED_STATES
}
