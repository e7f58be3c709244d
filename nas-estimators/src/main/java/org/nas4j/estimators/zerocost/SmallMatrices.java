package org.nas4j.estimators.zerocost;

/**
 * The dense linear algebra the proxies need on batch-sized matrices (B x B, B about 64), in double, written out
 * so that results do not depend on a native library: eigenvalues of a symmetric matrix (cyclic Jacobi rotations)
 * and the logarithm of the absolute determinant (LU with partial pivoting).
 */
final class SmallMatrices {
    private static final int MAX_SWEEPS = 100;

    private SmallMatrices() {
    }

    /**
     * The eigenvalues of the symmetric matrix {@code a} (not modified), in no particular order: cyclic Jacobi
     * rotations until the off-diagonal mass is below {@code 1e-15} times the Frobenius norm.
     */
    static double[] symmetricEigenvalues(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        double frobenius = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, but row " + i + " has " + a[i].length
                        + " entries for " + n + " rows");
            }
            m[i] = a[i].clone();
            for (double v : a[i]) {
                frobenius += v * v;
            }
        }
        double tolerance = 1e-30 * Math.max(frobenius, Double.MIN_NORMAL);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= tolerance) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] != 0) {
                        rotate(m, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
        }
        return values;
    }

    /** One Jacobi rotation that zeroes {@code m[p][q]} (and {@code m[q][p]}). */
    private static void rotate(double[][] m, int p, int q) {
        double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
    }

    /** {@code log |det a|} ({@code a} not modified); negative infinity for a singular matrix. */
    static double logAbsDeterminant(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double log = 0;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (m[pivot][col] == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            log += Math.log(Math.abs(m[col][col]));
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                if (f != 0) {
                    for (int k = col; k < n; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        return log;
    }
}
