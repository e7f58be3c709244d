package org.nas4j.estimators.oneshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * A {@link LatencyTable} from a device table of whole-network latencies, such as NAS-Bench-201's
 * {@code nb201-latency-ms.csv} (HELP, Lee et al., NeurIPS 2021: one row per cell, its {@code arch_str}, and one
 * column of milliseconds per device setting, e.g. {@code raspi4_ms}, {@code titanx_256_ms} for batch 256).
 *
 * <p>Such a file gives the latency of whole networks only: no per-op latency, no fixed part, no spread (one number
 * per network and device; some phone columns are rounded to whole milliseconds). ProxylessNAS' expected latency
 * needs per-candidate numbers, so this class fits the additive model the loss assumes,
 * {@code latency(a) = fixed + sum_e x[e][a_e]}, by least squares over every row. The model has one degree of freedom
 * per edge too many (adding {@code c} to every candidate of an edge and taking {@code c} from the fixed part gives
 * the same latencies), so one candidate per edge, {@code pinned[e]}, is set to 0 and its cost goes to the fixed
 * part; for NAS-Bench-201 that is {@code none}. The pin changes neither any architecture's latency nor the expected
 * latency's gradient (the probabilities of an edge sum to 1), only how the total is split. A candidate may come out
 * below its edge's pinned one (on GPUs a {@code skip_connect} edge is faster than a {@code none} edge, which the
 * benchmark computes as a multiplication by zero). {@link Fit} reports how well the model fits.
 *
 * <p>The format: a header line of column names, then one line per network, comma-separated, no quoting.
 *
 * <pre>{@code
 * LatencyCsv.Fit fit = LatencyCsv.nasBench201(Path.of("../shared/data/nasbench201/nb201-latency-ms.csv"),
 *         "raspi4_ms");
 * LatencyTable table = fit.table();          // edges and candidates of NasBench201Space's choice vector
 * }</pre>
 */
public final class LatencyCsv {

    /** The column of NAS-Bench-201's architecture strings. */
    public static final String NB201_ARCHITECTURE_COLUMN = "arch_str";

    private LatencyCsv() {
    }

    /**
     * A table fitted to a file, and how well the additive model fits it.
     *
     * @param table         the fitted table
     * @param rows          the rows fitted
     * @param rmsResidualMs the root mean square of {@code measured - table latency} over the rows
     * @param rSquared      {@code 1 - residual sum of squares / total sum of squares}
     */
    public record Fit(LatencyTable table, int rows, double rmsResidualMs, double rSquared) {
    }

    /** The column names of {@code csv} (its first line). */
    public static List<String> columns(Path csv) {
        return List.of(read(csv).get(0).split(",", -1));
    }

    /**
     * Fits a table to the rows of {@code csv}.
     *
     * @param csv                the file
     * @param architectureColumn the column naming each row's architecture
     * @param latencyColumn      the column of milliseconds to fit
     * @param pathOf             the candidate of every edge that an architecture text takes
     * @param edgeSizes          the number of candidates of each edge
     * @param pinned             per edge, the candidate set to 0 ms (its cost goes to the fixed part)
     * @return the fit
     */
    public static Fit fit(Path csv, String architectureColumn, String latencyColumn, Function<String, int[]> pathOf,
            int[] edgeSizes, int[] pinned) {
        Objects.requireNonNull(pathOf, "pathOf");
        checkShape(edgeSizes, pinned);
        List<String> lines = read(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int archAt = column(header, architectureColumn, csv);
        int msAt = column(header, latencyColumn, csv);
        // unknown 0 is the fixed part, then every candidate of every edge but the pinned one
        int[][] unknown = new int[edgeSizes.length][];
        int n = 1;
        for (int e = 0; e < edgeSizes.length; e++) {
            unknown[e] = new int[edgeSizes[e]];
            for (int k = 0; k < edgeSizes[e]; k++) {
                unknown[e][k] = k == pinned[e] ? -1 : n++;
            }
        }
        List<int[]> paths = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + " must have " + header.size()
                        + " comma-separated cells (as the header), but had " + cells.length);
            }
            double y;
            try {
                y = Double.parseDouble(cells[msAt]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": column '" + latencyColumn
                        + "' must be a number of milliseconds, but was '" + cells[msAt] + "'");
            }
            if (!Double.isFinite(y)) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": column '" + latencyColumn
                        + "' must be finite, but was " + y);
            }
            int[] path = pathOf.apply(cells[archAt]);
            if (path.length != edgeSizes.length) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": the path of '" + cells[archAt]
                        + "' must have one candidate per edge (" + edgeSizes.length + "), but had " + path.length);
            }
            for (int e = 0; e < path.length; e++) {
                if (path[e] < 0 || path[e] >= edgeSizes[e]) {
                    throw new IllegalArgumentException(csv + " line " + (i + 1) + ": candidate " + path[e]
                            + " of edge " + e + " must be in [0, " + edgeSizes[e] + ")");
                }
            }
            paths.add(path);
            ys.add(y);
        }
        // normal equations of the least-squares fit; each row has a 1 for the fixed part and per edge one 1
        double[][] ata = new double[n][n];
        double[] aty = new double[n];
        int[] seen = new int[n];
        for (int r = 0; r < paths.size(); r++) {
            int[] ones = ones(paths.get(r), unknown);
            for (int a : ones) {
                seen[a]++;
                aty[a] += ys.get(r);
                for (int b : ones) {
                    ata[a][b] += 1.0;
                }
            }
        }
        for (int e = 0; e < unknown.length; e++) {
            for (int k = 0; k < unknown[e].length; k++) {
                if (unknown[e][k] >= 0 && seen[unknown[e][k]] == 0) {
                    throw new IllegalArgumentException("candidate " + k + " of edge " + e + " is in no row of "
                            + csv + ": its latency cannot be fitted");
                }
            }
        }
        double[] x = solveSymmetric(ata, aty, csv);
        double[][] ms = new double[edgeSizes.length][];
        for (int e = 0; e < ms.length; e++) {
            ms[e] = new double[edgeSizes[e]];
            for (int k = 0; k < ms[e].length; k++) {
                ms[e][k] = unknown[e][k] < 0 ? 0.0 : x[unknown[e][k]];
            }
        }
        LatencyTable provisional = LatencyTable.of(x[0], ms, "");
        double mean = ys.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ssRes = 0;
        double ssTot = 0;
        for (int r = 0; r < paths.size(); r++) {
            double d = ys.get(r) - provisional.latencyMs(paths.get(r));
            ssRes += d * d;
            ssTot += (ys.get(r) - mean) * (ys.get(r) - mean);
        }
        double rms = Math.sqrt(ssRes / paths.size());
        double r2 = ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
        String source = String.format(Locale.ROOT, "fitted to %s column %s: %d rows, additive model, pinned %s, "
                + "rms residual %.4f ms, R^2 %.4f", csv.getFileName(), latencyColumn, paths.size(),
                Arrays.toString(pinned), rms, r2);
        return new Fit(LatencyTable.of(x[0], ms, source), paths.size(), rms, r2);
    }

    /**
     * Fits a table to NAS-Bench-201's latency file for one device column: 6 edges in the architecture string's
     * order, each with the 5 candidates of {@link NasBench201Space#OPS} in that order ({@code none} pinned to 0).
     * These are the edges and candidates of NAS-Bench-201's choice vector, i.e. of the policy of the
     * {@code ComposedSupernet} of {@code NasBench201Definition}.
     *
     * @param csv    the file ({@code shared/data/nasbench201/nb201-latency-ms.csv})
     * @param device a latency column, e.g. {@code "raspi4_ms"}
     * @return the fit
     */
    public static Fit nasBench201(Path csv, String device) {
        NasBench201Space space = NasBench201Space.standard();
        int edges = space.choices().size();
        int[] sizes = new int[edges];
        Arrays.fill(sizes, NasBench201Space.OPS.size());
        int[] pinned = new int[edges];
        Arrays.fill(pinned, NasBench201Space.OPS.indexOf("none"));
        return fit(csv, NB201_ARCHITECTURE_COLUMN, device, s -> space.parse(s).vector(), sizes, pinned);
    }

    private static int[] ones(int[] path, int[][] unknown) {
        int[] out = new int[1 + path.length];
        int m = 0;
        out[m++] = 0;
        for (int e = 0; e < path.length; e++) {
            if (unknown[e][path[e]] >= 0) {
                out[m++] = unknown[e][path[e]];
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** Solves the symmetric positive definite system by Cholesky; an exception if it is singular. */
    private static double[] solveSymmetric(double[][] a, double[] b, Path csv) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (s <= 1e-9 * Math.max(1.0, a[i][i])) {
                        throw new IllegalArgumentException("the rows of " + csv + " do not determine every"
                                + " candidate's latency (candidates that always appear together): add rows");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    private static void checkShape(int[] edgeSizes, int[] pinned) {
        Objects.requireNonNull(edgeSizes, "edgeSizes");
        Objects.requireNonNull(pinned, "pinned");
        if (edgeSizes.length == 0 || pinned.length != edgeSizes.length) {
            throw new IllegalArgumentException("edgeSizes and pinned must have one entry per edge (at least one),"
                    + " but had " + edgeSizes.length + " and " + pinned.length);
        }
        for (int e = 0; e < edgeSizes.length; e++) {
            if (edgeSizes[e] < 1) {
                throw new IllegalArgumentException("edgeSizes[" + e + "] must be >= 1, but was " + edgeSizes[e]);
            }
            if (pinned[e] < 0 || pinned[e] >= edgeSizes[e]) {
                throw new IllegalArgumentException("pinned[" + e + "] must be in [0, " + edgeSizes[e]
                        + "), but was " + pinned[e]);
            }
        }
    }

    private static int column(List<String> header, String name, Path csv) {
        Objects.requireNonNull(name, "column");
        int at = header.indexOf(name);
        if (at < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + csv + "; columns: " + header);
        }
        return at;
    }

    private static List<String> read(Path csv) {
        Objects.requireNonNull(csv, "csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latency table " + csv, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(csv + " must start with a header line, but is empty");
        }
        return lines;
    }
}
