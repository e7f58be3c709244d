package org.nas4j.spaces.recurrent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The published recurrent cells, as written in the DARTS repository's {@code rnn/genotypes.py}
 * (quark0/darts, commit 8876e79).
 */
public final class RecurrentGenotypes {

    /** DARTS (first order) on Penn Treebank. */
    public static final RecurrentGenotype DARTS_V1 = RecurrentGenotype.parse("Genotype(recurrent=[('relu', 0),"
            + " ('relu', 1), ('tanh', 2), ('relu', 3), ('relu', 4), ('identity', 1), ('relu', 5), ('relu', 1)],"
            + " concat=range(1, 9))");

    /** DARTS (second order) on Penn Treebank: the cell of the paper's Table 2 ({@code DARTS = DARTS_V2}). */
    public static final RecurrentGenotype DARTS_V2 = RecurrentGenotype.parse("Genotype(recurrent=[('sigmoid', 0),"
            + " ('relu', 1), ('relu', 1), ('identity', 1), ('tanh', 2), ('sigmoid', 5), ('tanh', 3), ('relu', 5)],"
            + " concat=range(1, 9))");

    /**
     * ENAS' Penn Treebank cell as the DARTS code writes it ({@code ENAS} in {@code rnn/genotypes.py}): {@code s0}
     * with tanh and 11 nodes, the loose ends averaged.
     */
    public static final RecurrentGenotype ENAS = RecurrentGenotype.parse("Genotype(recurrent=[('tanh', 0),"
            + " ('tanh', 1), ('relu', 1), ('tanh', 3), ('tanh', 3), ('relu', 3), ('relu', 4), ('relu', 7),"
            + " ('relu', 8), ('relu', 8), ('relu', 8)], concat=[2, 5, 6, 9, 10, 11])");

    private static final Map<String, RecurrentGenotype> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("darts-v1-rnn", DARTS_V1);
        BY_NAME.put("darts-v2-rnn", DARTS_V2);
        BY_NAME.put("enas-rnn", ENAS);
    }

    private RecurrentGenotypes() {
    }

    /** The published cells by name ({@code darts-v1-rnn}, {@code darts-v2-rnn}, {@code enas-rnn}), in a fixed order. */
    public static Map<String, RecurrentGenotype> all() {
        return java.util.Collections.unmodifiableMap(BY_NAME);
    }

    /** The published cell called {@code name}; an exception listing the known names if none. */
    public static RecurrentGenotype byName(String name) {
        RecurrentGenotype g = BY_NAME.get(name);
        if (g == null) {
            throw new IllegalArgumentException("unknown recurrent genotype '" + name + "'; known names: "
                    + BY_NAME.keySet());
        }
        return g;
    }
}
