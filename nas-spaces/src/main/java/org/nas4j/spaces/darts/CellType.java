package org.nas4j.spaces.darts;

/** The two kinds of cell of a NASNet / DARTS network. */
public enum CellType {
    /** Keeps the resolution and the channel count. */
    NORMAL("normal"),
    /** Halves the resolution (stride 2 on the ops fed by the two cell inputs) and doubles the channels. */
    REDUCE("reduce");

    private final String label;

    CellType(String label) {
        this.label = label;
    }

    /** The name used in genotype text and graph names: {@code "normal"} or {@code "reduce"}. */
    public String label() {
        return label;
    }
}
