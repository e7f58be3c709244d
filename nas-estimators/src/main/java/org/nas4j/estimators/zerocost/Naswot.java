package org.nas4j.estimators.zerocost;

import java.util.Map;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nas4j.estimators.engine.RunningStatistics;
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
        ComputationGraph graph = exported(net);
        int b = context.batchSize();
        double[][] k = new double[b][b];
        int relus = 0;
        // the graph's parameters and activations are native memory that only a garbage collection would free:
        // scoring hundreds of cells ran a process out of memory (12 GB), so they are released here
        INDArray images = context.images(DataType.FLOAT);
        Map<String, INDArray> activations = null;
        try {
            activations = graph.feedForward(images, true);
            for (Map.Entry<String, GraphVertex> v : graph.getConfiguration().getVertices().entrySet()) {
                if (v.getValue() instanceof LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof ActivationLayer a
                        && a.getActivationFn() instanceof ActivationReLU) {
                    addCodes(k, activations.get(v.getKey()).reshape(b, -1));
                    relus++;
                }
            }
        } finally {
            if (activations != null) {
                activations.values().stream().filter(x -> x.data() != images.data()).forEach(Naswot::release);
            }
            graph.close();
        }
        if (relus == 0) {
            throw new IllegalArgumentException("naswot needs ReLUs, but the network of "
                    + context.architecture() + " has none");
        }
        return SmallMatrices.logAbsDeterminant(k);
    }

    /**
     * The DL4J graph of {@code net}. It runs in training mode here (batch statistics), so batch norms that normalize
     * with the batch in inference too (ENAS' micro search child), which the export refuses, are exported with their
     * running statistics, unread in training mode, and switched back.
     */
    private static ComputationGraph exported(TrainableNetwork net) {
        return RunningStatistics.withBatchStatisticsInInference(net.parameters().runningStatistics(), false,
                () -> ComputationGraphExport.toComputationGraph(net));
    }

    /**
     * Adds {@code c c^T + (1 - c)(1 - c)^T} for the codes {@code c = (a > 0)} of the rows of {@code a}: two matrix
     * products of 0/1 codes in DOUBLE, so every count is exact.
     */
    static void addCodes(double[][] k, INDArray a) {
        INDArray asDouble = a.castTo(DataType.DOUBLE);
        INDArray positive = asDouble.gt(0);
        INDArray active = positive.castTo(DataType.DOUBLE);
        INDArray inactive = active.rsub(1.0);
        INDArray both = active.mmul(active.transpose());
        INDArray neither = inactive.mmul(inactive.transpose());
        double[][] agree = both.addi(neither).toDoubleMatrix();
        for (INDArray t : new INDArray[] {positive, active, inactive, both, neither}) {
            release(t);
        }
        if (asDouble != a) {
            release(asDouble);
        }
        for (int i = 0; i < k.length; i++) {
            for (int j = 0; j < k.length; j++) {
                k[i][j] += agree[i][j];
            }
        }
    }

    /** Frees {@code a}'s native memory now where it owns it (not a view, not the caller's array). */
    private static void release(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }
}
