package org.nas4j.estimators.zerocost;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.NetworkFactory;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Synaptic flow (Tanaka et al., "Pruning neural networks without any data by iteratively conserving synaptic
 * flow", NeurIPS 2020), the zero-cost proxy of Abdelfattah et al. (ICLR 2021) and FreeDARTS' op score: every
 * parameter replaced by its absolute value, one all-ones image in, {@code R = sum(logits)}, and the score
 * {@code sum |W * dR/dW|} over the weights of convolutions and linear layers. No data is used.
 *
 * <p>The reference runs it without batch norm ({@code bn=False}); here batch norm runs in inference mode with its
 * initial statistics (mean 0, variance 1) and absolute affine parameters (1 and 0), i.e. as the identity scaled by
 * {@code 1/sqrt(1 + 1e-5)}, which changes every score by the same factor per batch-norm layer on a path. The
 * products of absolute weights grow with depth and overflow FLOAT in deep networks: the reference computes in
 * double, and so should a search here ({@link ZeroCostEstimator.Builder#synflowNetworks}); an overflow gives an
 * infinite or NaN score.
 */
final class Synflow extends NamedProxy {
    private final NetworkFactory networks;

    /** @param networks the factory of the networks scored (DOUBLE advised), or null for the context's */
    Synflow(NetworkFactory networks) {
        super("synflow");
        this.networks = networks;
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = networks == null ? context.network() : context.network(networks);
        INDArray values = net.parameters().values();
        Transforms.abs(values, false);
        for (Parameter p : net.parameters().parameters()) {
            p.clearGradient();
        }
        long[] shape = context.imageShape().clone();
        shape[0] = 1;
        INDArray ones = Nd4j.ones(net.parameters().dataType(), shape);
        INDArray logits = net.forward(ones, Mode.INFERENCE);
        net.backward(Nd4j.onesLike(logits));
        double score = 0;
        for (Parameter w : ProxyContext.weights(net)) {
            if (w.hasGradient()) {
                score += Transforms.abs(w.gradient().mul(w.value())).sumNumber().doubleValue();
            }
        }
        return score;
    }
}
