package org.nas4j.estimators.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the export parity tests share: a little training before export, and the exported graph's size. */
final class ExportParity {

    /**
     * A bound on the chain of roundings behind any output of the networks exported in these tests: at most 64
     * layers on the longest path (a DARTS-style network of three cells, each up to four separable convolutions deep
     * after its preprocessing, plus stem and head) with fan-in at most 9 x 16 = 144, plus 8 roundings per layer
     * for batch norm, ReLU and pooling.
     */
    static final long ROUNDINGS = 64L * (144 + 8);

    /**
     * The largest difference allowed between the engine's and DL4J's softmax outputs: both compute in FLOAT, with
     * other kernels and summation orders, values whose magnitude is at most 1 (probabilities), so they agree to
     * within twice {@code gamma(ROUNDINGS)} (see {@link Tolerances#parity}). A wrong export (a padding, an epsilon,
     * a missing op) moves outputs by orders of magnitude more.
     */
    static final double TOLERANCE = Tolerances.parity(DataType.FLOAT, ROUNDINGS, 1.0);

    private ExportParity() {
    }

    /**
     * Two SGD steps (learning rate 0.05, momentum 0.9) on {@code x} with {@code labels}, so that weights and
     * batch-norm running statistics differ from their initial values when the network is exported.
     */
    static void trainTwoSteps(TrainableNetwork net, INDArray x, int[] labels) {
        INDArray y = SoftmaxCrossEntropy.oneHot(labels, 10, DataType.FLOAT);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = Sgd.builder(net.parameters(), LearningRateSchedule.constant(0.05)).momentum(0.9).build();
        for (int step = 0; step < 2; step++) {
            loss.forward(net.forward(x, Mode.TRAINING), y);
            net.backward(loss.backward());
            sgd.step();
        }
    }

    /** Trainable values of the graph: all parameters but batch norm's running mean and variance. */
    static long graphParameters(ComputationGraph graph) {
        long n = 0;
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            for (var e : layer.paramTable().entrySet()) {
                if (!e.getKey().equals("mean") && !e.getKey().equals("var")) {
                    n += e.getValue().length();
                }
            }
        }
        return n;
    }
}
