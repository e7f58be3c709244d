package org.nas4j.estimators.zerocost;

import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nas4j.estimators.export.ComputationGraphExport;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NASWOT (Mellor et al., "Neural Architecture Search without Training", ICML 2021): each image's binary code is
 * whether each ReLU unit of the network is active ({@code x > 0}) on it; the kernel {@code K_ij} counts the units
 * on which images {@code i} and {@code j} agree ({@code K = sum over ReLUs of c c^T + (1 - c)(1 - c)^T}, i.e. the
 * number of units minus the Hamming distance of the codes); the score is {@code log |det K|}. Higher is better:
 * networks that tell the images of the batch apart score high. Batch norm runs in training mode (batch
 * statistics), as the reference's network does.
 *
 * <p>The engine does not expose its ReLUs' activations, so the network is exported to its DL4J
 * {@code ComputationGraph} ({@link ComputationGraphExport}, equal outputs) and the outputs of its ReLU activation
 * layers are read from one forward pass: {@code relu(x) > 0} exactly when {@code x > 0}.
 */
final class Naswot extends NamedProxy {

    Naswot() {
        super("naswot");
    }

    @Override
    public double score(ProxyContext context) {
        TrainableNetwork net = context.network();
        ComputationGraph graph = ComputationGraphExport.toComputationGraph(net);
        Map<String, INDArray> activations = graph.feedForward(context.images(DataType.FLOAT), true);
        int b = context.batchSize();
        double[][] k = new double[b][b];
        int relus = 0;
        for (Map.Entry<String, GraphVertex> v : graph.getConfiguration().getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ActivationLayer a
                    && a.getActivationFn() instanceof ActivationReLU) {
                addCodes(k, activations.get(v.getKey()).reshape(b, -1));
                relus++;
            }
        }
        if (relus == 0) {
            throw new IllegalArgumentException("naswot needs ReLUs, but the network of "
                    + context.architecture() + " has none");
        }
        return SmallMatrices.logAbsDeterminant(k);
    }

    /**
     * Adds {@code c c^T + (1 - c)(1 - c)^T} for the codes {@code c = (a > 0)} of the rows of {@code a}: two matrix
     * products of 0/1 codes in DOUBLE, so every count is exact.
     */
    static void addCodes(double[][] k, INDArray a) {
        INDArray active = a.castTo(DataType.DOUBLE).gt(0).castTo(DataType.DOUBLE);
        INDArray inactive = active.rsub(1.0);
        double[][] agree = active.mmul(active.transpose()).addi(inactive.mmul(inactive.transpose())).toDoubleMatrix();
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k.length; j++) {
                k[i][j] += agree[i][j];
            }
        }
    }
}
