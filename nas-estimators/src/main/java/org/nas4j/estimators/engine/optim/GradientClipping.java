package org.nas4j.estimators.engine.optim;

import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient-norm clipping, as PyTorch's {@code clip_grad_norm_}: if the global L2 norm of all gradients present
 * exceeds {@code maxNorm}, every gradient is scaled by {@code maxNorm / (norm + 1e-6)}. Call it between the
 * backward pass and the optimizer step.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Clips in place.
     *
     * @param params  the parameters; only those with a gradient count
     * @param maxNorm the largest allowed norm, > 0
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(ParameterSet params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, but was " + maxNorm);
        }
        double squares = 0;
        for (Parameter p : params.parameters()) {
            if (p.hasGradient()) {
                INDArray g = p.gradient();
                squares += Nd4j.getBlasWrapper().level1().dot(g.length(), 1.0, g, g);
            }
        }
        double norm = Math.sqrt(squares);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-6);
            for (Parameter p : params.parameters()) {
                if (p.hasGradient()) {
                    p.gradient().muli(scale);
                }
            }
        }
        return norm;
    }
}
