package org.nas4j.estimators.zerocost;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.engine.OutputObserver;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code fisher} (Theis et al., "Faster gaze prediction with dense networks and Fisher pruning", 2018, as the
 * zero-cost proxy of Abdelfattah et al., ICLR 2021, and their reference code): for every convolution and linear
 * layer, with {@code a} its output (bias included) and {@code dL/da} the gradient of the batch's mean
 * cross-entropy with respect to it (batch norm in training mode), the channel saliency
 * {@code F_k = 1/2 * mean over images n of (sum over positions of a_nk * dL/da_nk)^2}; the score is
 * {@code sum over layers and channels of F_k * m}, where {@code m} is the number of weights per output channel
 * ({@code in * kH * kW} for a convolution, {@code kH * kW} for a depthwise one, {@code in} for a linear layer),
 * because the reference spreads each channel's value over that channel's weights before summing them.
 *
 * <p>The reference hooks an identity inserted after each layer; here each layer reports its output and the
 * gradient with respect to it to an {@link OutputObserver} on its weight, for this one pass only.
 */
final class Fisher extends NamedProxy {

    Fisher() {
        super("fisher");
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = context.network();
        List<Parameter> weights = ProxyContext.weights(net);
        List<ChannelSaliency> saliencies = new ArrayList<>();
        for (Parameter w : weights) {
            ChannelSaliency s = new ChannelSaliency();
            saliencies.add(s);
            w.observeOutputs(s);
        }
        try {
            GradientProxy.lossGradient(net, context);
        } finally {
            for (Parameter w : weights) {
                w.observeOutputs(null);
            }
        }
        double score = 0;
        for (int i = 0; i < weights.size(); i++) {
            Parameter w = weights.get(i);
            ChannelSaliency s = saliencies.get(i);
            if (s.channels == 0) {
                if (w.hasGradient()) {
                    throw new IllegalStateException("fisher reads the outputs of convolutions and linear layers, "
                            + "but the layer of weight '" + w.name() + "' ran without reporting them");
                }
                continue; // a layer the pass did not run, as the reference's hook that never fired
            }
            score += s.sum * ((double) w.length() / s.channels);
        }
        return score;
    }

    /**
     * Accumulates {@code sum_k 1/2 mean_n (sum_positions a_nk * g_nk)^2} over the passes of one layer, in DOUBLE.
     */
    static final class ChannelSaliency implements OutputObserver {
        private INDArray output;
        double sum;
        long channels;

        @Override
        public void forward(INDArray a) {
            INDArray d = a.castTo(DataType.DOUBLE);
            output = d == a ? a.dup() : d; // a copy: the layer reuses its output buffer
        }

        @Override
        public void backward(INDArray gradOutput) {
            if (output == null) {
                throw new IllegalStateException("a backward pass was reported without its forward pass");
            }
            INDArray product = gradOutput.castTo(DataType.DOUBLE).mul(output);
            output = null;
            INDArray perChannel = product.rank() > 2 ? product.sum(spatialDimensions(product.rank())) : product;
            long images = perChannel.size(0);
            sum += 0.5 * perChannel.muli(perChannel).sumNumber().doubleValue() / images;
            channels = perChannel.size(1);
        }

        private static int[] spatialDimensions(int rank) {
            int[] d = new int[rank - 2];
            for (int i = 0; i < d.length; i++) {
                d[i] = i + 2;
            }
            return d;
        }
    }
}
