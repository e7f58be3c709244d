package org.nas4j.estimators.zerocost;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code jacob_cov} (Mellor et al., "Neural Architecture Search without Training", first version, arXiv 2020; as a
 * proxy in Abdelfattah et al., ICLR 2021): the Jacobian of the summed logits with respect to each image of the
 * batch ({@code J_i = d sum_k y_ik / d x_i}, batch norm in training mode), the correlation matrix {@code C} of the
 * images' flattened Jacobians (numpy's {@code corrcoef}: rows centred and scaled to unit norm), and the score
 * {@code -sum_j (log(v_j + k) + 1 / (v_j + k))} over the eigenvalues {@code v_j} of {@code C}, with {@code k =
 * 1e-5}. Higher is better: Jacobians that differ between images (low correlation) score high. A Jacobian row that
 * is constant has no correlation, and gives NaN, as in the reference.
 */
final class JacobianCovariance extends NamedProxy {
    /** The reference's {@code k}. */
    static final double K = 1e-5;

    JacobianCovariance() {
        super("jacob_cov");
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = context.network();
        DataType type = net.parameters().dataType();
        INDArray logits = net.forward(context.images(type), Mode.TRAINING);
        INDArray jacobian = net.backward(Nd4j.onesLike(logits));
        int b = context.batchSize();
        double[][] rows = jacobian.reshape(b, -1).castTo(DataType.DOUBLE).toDoubleMatrix();
        return score(correlation(rows));
    }

    /** The score of a correlation matrix. */
    static double score(double[][] correlation) {
        for (double[] row : correlation) {
            for (double v : row) {
                if (Double.isNaN(v)) {
                    return Double.NaN;
                }
            }
        }
        double s = 0;
        for (double v : SmallMatrices.symmetricEigenvalues(correlation)) {
            s += Math.log(v + K) + 1 / (v + K);
        }
        return -s;
    }

    /** The correlation matrix of the rows (numpy's {@code corrcoef}). */
    static double[][] correlation(double[][] rows) {
        int n = rows.length;
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] r = rows[i];
            double mean = 0;
            for (double v : r) {
                mean += v;
            }
            mean /= r.length;
            double norm = 0;
            z[i] = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                z[i][j] = r[j] - mean;
                norm += z[i][j] * z[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < r.length; j++) {
                z[i][j] /= norm; // a constant row gives 0/0 = NaN, as numpy does
            }
        }
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < z[i].length; k++) {
                    dot += z[i][k] * z[j][k];
                }
                c[i][j] = dot;
                c[j][i] = dot;
            }
        }
        return c;
    }
}
