package org.nas4j.estimators.zerocost;

import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The proxies computed from the gradient of the cross-entropy loss of one batch, with batch norm in training mode
 * (Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS", ICLR 2021, and their reference code): summed over
 * the weights of convolutions and linear layers ({@link ProxyContext#weights}),
 * <ul>
 *   <li>{@code grad_norm}: the sum over layers of the Euclidean norm of the layer's weight gradient, {@code
 *       sum_l ||dL/dW_l||};</li>
 *   <li>{@code snip} (Lee et al., ICLR 2019): {@code sum |dL/dW * W|}, the saliency of a connection, the gradient
 *       of the loss with respect to a multiplicative mask of ones on the weights.</li>
 * </ul>
 */
final class GradientProxy extends NamedProxy {

    /** Which sum of the weight gradients. */
    enum Kind {
        GRAD_NORM("grad_norm"),
        SNIP("snip");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;

    GradientProxy(Kind kind) {
        super(kind.label);
        this.kind = kind;
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = context.network();
        lossGradient(net, context);
        double score = 0;
        for (Parameter w : ProxyContext.weights(net)) {
            if (!w.hasGradient()) {
                continue;
            }
            score += switch (kind) {
                case GRAD_NORM -> w.gradient().norm2Number().doubleValue();
                case SNIP -> Transforms.abs(w.gradient().mul(w.value())).sumNumber().doubleValue();
            };
        }
        return score;
    }

    /** Writes the weight gradients of the batch's mean cross-entropy loss (batch norm in training mode). */
    static void lossGradient(TrainableNetwork net, ProxyContext context) {
        DataType type = net.parameters().dataType();
        for (Parameter p : net.parameters().parameters()) {
            p.clearGradient();
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        INDArray logits = net.forward(context.images(type), Mode.TRAINING);
        loss.forward(logits, context.oneHot(type));
        net.backward(loss.backward());
    }
}
