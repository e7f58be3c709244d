package org.nas4j.estimators.oneshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * The latency, in milliseconds, of every candidate of every policy edge of a supernet ({@code edge e, candidate k
 * -> ms}), plus the latency of the fixed part of the network (stem, head, preprocessing, everything no edge
 * chooses): ProxylessNAS' latency lookup table (Cai, Zhu and Han, ICLR 2019, section 3.3; the reference's
 * {@code LatencyEstimator}, summed by {@code SuperProxylessNASNets.expected_latency}). The latency of an
 * architecture is the fixed part plus the latency of the candidate it takes on every edge, so the table is also an
 * additive cost model.
 *
 * <p>Made by {@link LatencyMeasurement} (timed on this backend) or {@link LatencyCsv} (fitted to a device table
 * of whole-network latencies), or by {@link #of} from numbers. A fitted table may hold negative entries (an
 * additive fit of measured networks); a measured one holds positive ones. Immutable and thread-safe.
 *
 * <pre>{@code
 * LatencyTable table = LatencyMeasurement.builder().build().table(supernet, ModuleCatalogue.standard());
 * double ms = table.latencyMs(supernet.path(architecture));
 * }</pre>
 */
public final class LatencyTable {

    private final double fixedMs;
    private final double[][] candidateMs;
    private final String source;

    private LatencyTable(double fixedMs, double[][] candidateMs, String source) {
        this.fixedMs = fixedMs;
        this.candidateMs = candidateMs;
        this.source = source;
    }

    /**
     * A table from numbers.
     *
     * @param fixedMs     the latency of the fixed part, finite
     * @param candidateMs per edge, the latency of each candidate, finite, at least one candidate per edge
     * @param source      where the numbers come from (for reports)
     * @return the table
     */
    public static LatencyTable of(double fixedMs, double[][] candidateMs, String source) {
        Objects.requireNonNull(candidateMs, "candidateMs");
        Objects.requireNonNull(source, "source");
        if (!Double.isFinite(fixedMs)) {
            throw new IllegalArgumentException("fixedMs must be finite, but was " + fixedMs);
        }
        if (candidateMs.length == 0) {
            throw new IllegalArgumentException("candidateMs must have at least one edge, but had none");
        }
        double[][] copy = new double[candidateMs.length][];
        for (int e = 0; e < copy.length; e++) {
            if (candidateMs[e] == null || candidateMs[e].length == 0) {
                throw new IllegalArgumentException("candidateMs[" + e + "] must have at least one candidate, but had"
                        + " none");
            }
            copy[e] = candidateMs[e].clone();
            for (int k = 0; k < copy[e].length; k++) {
                if (!Double.isFinite(copy[e][k])) {
                    throw new IllegalArgumentException("candidateMs[" + e + "][" + k + "] must be finite, but was "
                            + copy[e][k]);
                }
            }
        }
        return new LatencyTable(fixedMs, copy, source);
    }

    /** The latency of the fixed part of the network (what no edge chooses). */
    public double fixedMs() {
        return fixedMs;
    }

    /** The number of policy edges. */
    public int edges() {
        return candidateMs.length;
    }

    /** The number of candidates of {@code edge}. */
    public int candidates(int edge) {
        return candidateMs[checkEdge(edge)].length;
    }

    /** The latency of candidate {@code candidate} of {@code edge} (summed over every place the edge runs). */
    public double latencyMs(int edge, int candidate) {
        double[] row = candidateMs[checkEdge(edge)];
        if (candidate < 0 || candidate >= row.length) {
            throw new IllegalArgumentException("candidate must be in [0, " + row.length + ") for edge " + edge
                    + ", but was " + candidate);
        }
        return row[candidate];
    }

    /**
     * The latency of the architecture that takes candidate {@code path[e]} on every edge {@code e}: the fixed part
     * plus the chosen candidates' latencies ({@code ComposedSupernet.path(architecture)} gives the path).
     */
    public double latencyMs(int[] path) {
        Objects.requireNonNull(path, "path");
        if (path.length != candidateMs.length) {
            throw new IllegalArgumentException("path must have one candidate per edge (" + candidateMs.length
                    + "), but had " + path.length);
        }
        double sum = fixedMs;
        for (int e = 0; e < path.length; e++) {
            sum += latencyMs(e, path[e]);
        }
        return sum;
    }

    /**
     * The expected latency {@code fixed + sum_e sum_k p[e][k] * latency(e, k)} under the given per-edge
     * probabilities (each row as long as its edge's candidates).
     */
    public double expectedMs(double[][] probabilities) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (probabilities.length != candidateMs.length) {
            throw new IllegalArgumentException("probabilities must have one row per edge (" + candidateMs.length
                    + "), but had " + probabilities.length);
        }
        double sum = fixedMs;
        for (int e = 0; e < probabilities.length; e++) {
            if (probabilities[e].length != candidateMs[e].length) {
                throw new IllegalArgumentException("probabilities[" + e + "] must have " + candidateMs[e].length
                        + " entries (the edge's candidates), but had " + probabilities[e].length);
            }
            for (int k = 0; k < probabilities[e].length; k++) {
                sum += probabilities[e][k] * candidateMs[e][k];
            }
        }
        return sum;
    }

    /** A copy of the per-candidate latencies, {@code [edge][candidate]}. */
    public double[][] candidateMs() {
        double[][] copy = new double[candidateMs.length][];
        for (int e = 0; e < copy.length; e++) {
            copy[e] = candidateMs[e].clone();
        }
        return copy;
    }

    /** Where the numbers come from (measurement settings, or the file, column and fit quality). */
    public String source() {
        return source;
    }

    private int checkEdge(int edge) {
        if (edge < 0 || edge >= candidateMs.length) {
            throw new IllegalArgumentException("edge must be in [0, " + candidateMs.length + "), but was " + edge);
        }
        return edge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyTable t && Double.compare(t.fixedMs, fixedMs) == 0
                && Arrays.deepEquals(t.candidateMs, candidateMs) && t.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fixedMs, Arrays.deepHashCode(candidateMs), source);
    }

    @Override
    public String toString() {
        return "LatencyTable[fixed=" + fixedMs + " ms, candidates=" + Arrays.deepToString(candidateMs) + ", source="
                + source + "]";
    }
}
