package org.nas4j.estimators.export;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GRU layer for DL4J graphs (DL4J 1.0.0-M2.1 has none): Keras' {@code GRU(nOut, return_sequences=True)} with
 * {@code reset_after=True} (TensorFlow 2's default, the cuDNN form, also PyTorch's), the cell of nas4j's
 * {@link org.nas4j.estimators.engine.recurrent.GruCell}. On {@code [B, nIn, T]} (NCW), zero initial state:
 * <pre>
 * a = x_t W + b;  c = h_{t-1} RW + rb           (gate blocks update z, reset r, candidate n)
 * z = sigmoid(a_z + c_z);  r = sigmoid(a_r + c_r);  n = tanh(a_n + r * c_n)
 * h_t = z * h_{t-1} + (1 - z) * n
 * </pre>
 * Parameters (see {@link GruParameters}): {@code W [nIn, 3 nOut]}, {@code RW [nOut, 3 nOut]}, {@code b [1, 3 nOut]},
 * {@code rb [1, 3 nOut]}, gate blocks in Keras' order z, r, n; Keras' {@code kernel}, {@code recurrent_kernel} and
 * the two rows of its {@code bias}. The backward pass is written out (backpropagation through time): a
 * {@code SameDiffLayer} of the same equations gets exactly twice the numerical gradient in a DL4J 1.0.0-M2.1
 * graph, as does any {@code SameDiffLayer} tried (docs/spaces/timeseries.md). Masks are not supported. Restoring a saved graph needs this class on the class path (it is named in
 * the JSON).
 *
 * <pre>{@code
 * builder.addLayer("gru", new GruLayer.Builder().nIn(8).nOut(16).build(), "seq");   // [B, 8, T] -> [B, 16, T]
 * }</pre>
 */
public final class GruLayer extends NcwRecurrentLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialization. */
    private GruLayer() {
    }

    private GruLayer(Builder builder) {
        super(builder);
    }

    @Override
    GruRunningLayer running(NeuralNetConfiguration conf, DataType networkDataType) {
        return new GruRunningLayer(conf, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return GruParameters.INSTANCE;
    }

    /** The values the forward pass computes for each step: the two gate projections, three gates, the state. */
    @Override
    long valuesPerStep() {
        return 12 * nOut;
    }

    @Override
    public String toString() {
        return "GruLayer(nIn=" + nIn + ", nOut=" + nOut + ")";
    }

    /** Builds a {@link GruLayer}; {@code nIn} and {@code nOut} are required, the data format must stay NCW. */
    public static final class Builder extends BaseRecurrentLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public GruLayer build() {
            return new GruLayer(this);
        }
    }
}
