package org.nas4j.estimators.zerocost;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GraSP (Wang et al., "Picking Winning Tickets Before Training by Preserving Gradient Flow", ICLR 2020), as the
 * zero-cost proxy of Abdelfattah et al. (ICLR 2021): {@code sum -W * (H g)} over the weights of convolutions and
 * linear layers, where {@code g} is the gradient of the batch's cross-entropy loss with respect to those weights and
 * {@code H} the Hessian of the loss with respect to them (batch norm in training mode, temperature 1).
 *
 * <p>The reference differentiates {@code g . grad(L)} a second time; the engine has no double backward, so the
 * Hessian-vector product is the central difference of the gradient along {@code g}, as DARTS computes its own:
 * {@code H g ~ (grad L(W + r g) - grad L(W - r g)) / (2 r)} with {@code r = eps / ||g||}, a displacement of
 * {@code eps} = 0.01 in FLOAT (DARTS' value) and 1e-4 in DOUBLE. Its truncation error is of order {@code eps^2}
 * (smooth away from ReLU's kink), its rounding error of order {@code unit roundoff / eps}.
 */
final class Grasp extends NamedProxy {
    static final double FLOAT_DISPLACEMENT = 0.01;
    static final double DOUBLE_DISPLACEMENT = 1e-4;

    Grasp() {
        super("grasp");
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = context.network();
        List<Parameter> weights = ProxyContext.weights(net);
        GradientProxy.lossGradient(net, context);
        List<INDArray> g = new ArrayList<>();
        double norm2 = 0;
        for (Parameter w : weights) {
            INDArray gw = w.hasGradient() ? w.gradient().dup() : w.value().mul(0);
            g.add(gw);
            norm2 += gw.mul(gw).sumNumber().doubleValue();
        }
        if (norm2 == 0) {
            return 0;
        }
        double eps = net.parameters().dataType() == DataType.DOUBLE ? DOUBLE_DISPLACEMENT : FLOAT_DISPLACEMENT;
        double r = eps / Math.sqrt(norm2);
        List<INDArray> plus = gradientAt(net, context, weights, g, r);
        List<INDArray> minus = gradientAt(net, context, weights, g, -r);
        double score = 0;
        for (int i = 0; i < weights.size(); i++) {
            INDArray hg = plus.get(i).sub(minus.get(i)).divi(2 * r);
            score -= weights.get(i).value().mul(hg).sumNumber().doubleValue();
        }
        return score;
    }

    /** The weight gradients at {@code W + step * g}; the weights are restored afterwards. */
    private static List<INDArray> gradientAt(TrainableNetwork net, ProxyContext context, List<Parameter> weights,
                                             List<INDArray> g, double step) {
        List<INDArray> saved = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            saved.add(weights.get(i).value().dup());
            weights.get(i).value().addi(g.get(i).mul(step));
        }
        GradientProxy.lossGradient(net, context);
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            Parameter w = weights.get(i);
            out.add(w.hasGradient() ? w.gradient().dup() : w.value().mul(0));
            w.value().assign(saved.get(i));
        }
        return out;
    }
}
