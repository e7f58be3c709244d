package org.nas4j.spaces.darts;

import java.util.List;

/** Reads a {@link Genotype} into the choice vector of a {@link DartsSpace}, checking that it belongs there. */
final class GenotypeReader {
    private final DartsSpace space;
    private final BlockLayout layout;

    GenotypeReader(DartsSpace space, BlockLayout layout) {
        this.space = space;
        this.layout = layout;
    }

    /** The choice vector of {@code genotype}; an exception naming the first mismatch with the space. */
    int[] vector(Genotype genotype) {
        int b = checkNodes(genotype);
        if (space.sharedCell() && !genotype.normal().equals(genotype.reduce())) {
            throw new IllegalArgumentException("the reduce cell of the genotype must equal its normal cell in this"
                    + " space (sharedCell=true: the reduction cell is the normal cell at stride 2), but normal="
                    + genotype.normal() + " and reduce=" + genotype.reduce());
        }
        int[] v = new int[layout.length()];
        for (int c = 0; c < 2; c++) {
            CellType type = c == 0 ? CellType.NORMAL : CellType.REDUCE;
            List<Genotype.Pair> pairs = genotype.pairs(type);
            List<Integer> expected = space.concatRule().concat(pairs);
            if (!expected.equals(genotype.concat(type))) {
                throw new IllegalArgumentException(type.label() + "_concat of the genotype must be " + expected
                        + " under the concat rule " + space.concatRule() + " of this space, but was "
                        + genotype.concat(type));
            }
            if (c > 0 && space.sharedCell()) {
                continue;
            }
            int i = layout.base(c, 0);
            for (Genotype.Pair p : pairs) {
                v[i] = space.choices().get(i).indexOf(Integer.toString(p.input()));
                i++;
                if (!space.ops().contains(p.op())) {
                    throw new IllegalArgumentException("operation '" + p.op() + "' of the " + type.label()
                            + " cell is not in this space; its operations: " + space.ops());
                }
                v[i] = space.choices().get(i).indexOf(p.op());
                i++;
            }
        }
        if (space.progressive()) {
            v[layout.blocksIndex()] = b - 1;
        }
        return v;
    }

    /** The node count of both cells of {@code genotype}, checked against this space. */
    private int checkNodes(Genotype genotype) {
        int b = genotype.nodes(CellType.NORMAL);
        if (!space.progressive()) {
            for (CellType type : CellType.values()) {
                if (genotype.nodes(type) != space.nodes()) {
                    throw new IllegalArgumentException("the " + type.label() + " cell of the genotype must have "
                            + space.nodes() + " nodes (" + 2 * space.nodes() + " pairs) in this space, but had "
                            + genotype.nodes(type));
                }
            }
        } else if (b > space.nodes()) {
            throw new IllegalArgumentException("the normal cell of the genotype must have 1 to " + space.nodes()
                    + " nodes in this progressive space, but had " + b);
        } else if (genotype.nodes(CellType.REDUCE) != b) {
            throw new IllegalArgumentException("the reduce cell of the genotype must have as many nodes as its normal"
                    + " cell (" + b + ") in this progressive space (one block count for both cells), but had "
                    + genotype.nodes(CellType.REDUCE));
        }
        return b;
    }
}
