package org.nas4j.estimators.engine.darts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nas4j.core.space.Architecture;
import org.nas4j.spaces.darts.DartsOps;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.darts.Genotype;

/**
 * DARTS' rule for the discrete cell ({@code Network.genotype()} of the reference): for every intermediate node,
 * the two incoming edges whose strongest op other than {@code none} has the largest weight (ties: the lower input
 * state first), strongest first; on each, the op other than {@code none} with the largest weight (ties: the first
 * in op order). Both cells concatenate all intermediate nodes.
 *
 * <pre>{@code
 * Architecture a = GenotypeDerivation.derive(space, ops, softmaxNormal, softmaxReduce);
 * space.format(a);   // "Genotype(normal=[('sep_conv_3x3', 1), ...], normal_concat=[2, 3, 4, 5], ...)"
 * }</pre>
 */
public final class GenotypeDerivation {

    private GenotypeDerivation() {
    }

    /**
     * Derives the architecture.
     *
     * @param space  the space it belongs to (its node count; all-intermediate concatenation)
     * @param ops    the op of each column of the weights, {@code none} among them or not
     * @param normal weights of the normal cell's edges, rows in the reference's edge order (the reference passes
     *               {@code softmax(alpha)}, which this rule compares across edges)
     * @param reduce weights of the reduction cell's edges, likewise
     * @return the architecture, whose {@link DartsSpace#format} is the genotype text
     */
    public static Architecture derive(DartsSpace space, List<String> ops, double[][] normal, double[][] reduce) {
        List<Genotype.Pair> n = cell(space.nodes(), ops, normal, "normal");
        List<Genotype.Pair> r = cell(space.nodes(), ops, reduce, "reduce");
        return space.architecture(new Genotype(n, space.concatRule().concat(n), r, space.concatRule().concat(r)));
    }

    private static List<Genotype.Pair> cell(int nodes, List<String> ops, double[][] w, String which) {
        int expected = SearchCell.edgesPerCell(nodes);
        if (w.length != expected) {
            throw new IllegalArgumentException(which + " weights must have " + expected + " rows (edges of a cell "
                    + "with " + nodes + " nodes), but had " + w.length);
        }
        int none = ops.indexOf(DartsOps.NONE);
        if (ops.size() - (none >= 0 ? 1 : 0) < 1) {
            throw new IllegalArgumentException("ops must hold an op other than none, but was " + ops);
        }
        for (double[] row : w) {
            if (row.length != ops.size()) {
                throw new IllegalArgumentException(which + " weights must have " + ops.size() + " columns (ops "
                        + ops + "), but a row had " + row.length);
            }
        }
        List<Genotype.Pair> pairs = new ArrayList<>(2 * nodes);
        int start = 0;
        for (int i = 0; i < nodes; i++) {
            int inputs = i + 2;
            double[] strength = new double[inputs];
            int[] bestOp = new int[inputs];
            for (int j = 0; j < inputs; j++) {
                double[] row = w[start + j];
                int best = -1;
                for (int k = 0; k < row.length; k++) {
                    if (k != none && (best < 0 || row[k] > row[best])) {
                        best = k;
                    }
                }
                bestOp[j] = best;
                strength[j] = row[best];
            }
            // a stable sort by decreasing strength, as the reference's sorted(..., key=-max)
            Integer[] order = new Integer[inputs];
            for (int j = 0; j < inputs; j++) {
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -strength[j]));
            for (int t = 0; t < 2; t++) {
                int j = order[t];
                pairs.add(new Genotype.Pair(ops.get(bestOp[j]), j));
            }
            start += inputs;
        }
        return pairs;
    }
}
