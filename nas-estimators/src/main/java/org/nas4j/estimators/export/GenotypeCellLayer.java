package org.nas4j.estimators.export;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A searched recurrent cell (DARTS' {@code DARTSCell}, ENAS' fixed cell) as a DL4J layer: the inference equations
 * of nas4j's {@link org.nas4j.estimators.engine.recurrent.GenotypeCell} over a sequence {@code [B, nIn, T]} (NCW),
 * with {@code nOut = H} hidden units. With {@code x} the step's input and {@code h} the previous output:
 * <pre>
 * [c0, h0] = [x, h] W0;       s0 = h + sigmoid(c0) * (initial(h0) - h)
 * [ci, hi] = s_j W_i;         s_i = s_j + sigmoid(ci) * (act_i(hi) - s_j)     (node i reads state j)
 * h_t = mean of the states in concat
 * </pre>
 * Parameters (see {@link GenotypeCellParameters}): {@code W0 [nIn + H, 2H]} (rows: input, then hidden state), then
 * {@code W1 .. WN}, each {@code [H, 2H]}; columns: the gate's {@code H}, then the activation's {@code H}; no biases
 * (as the reference). That is the engine's layout, so its matrices copy over unchanged. The cell has no batch norm
 * (DARTS' search cell normalises its states in search only, and is not exported). The reference's variational
 * dropouts on {@code x} and the states ({@code dropoutx}, {@code dropouth}) are masks drawn once per sequence,
 * which DL4J's per-element dropout is not; the layer has none, as the engine in inference.
 *
 * <p>{@code output} starts from a zero state; {@code rnnTimeStep} starts from the state the previous call ended in
 * (or one given by {@code rnnSetPreviousState} under the key {@code "h"}, {@code [B, H]}) and keeps its own end
 * state, as the engine carries its state from one segment to the next. Truncated BPTT ({@code BackpropType
 * .TruncatedBPTT}) carries the state between segments and stops the gradient at the segment's start, as the
 * engine's training does. The backward pass is written out (backpropagation through time), not a
 * {@code SameDiffLayer} (see {@link GruLayer}). Masks are not supported. Restoring a saved graph needs this class on
 * the class path (it is named in the JSON, with the genotype's text).
 *
 * <pre>{@code
 * builder.addLayer("cell", new GenotypeCellLayer.Builder(RecurrentGenotypes.DARTS_V2).nIn(32).nOut(32).build(),
 *         "embedding");   // [B, 32, T] -> [B, 32, T]
 * }</pre>
 */
public final class GenotypeCellLayer extends BaseRecurrentLayer {

    private static final long serialVersionUID = 1L;

    /** The reference's text of the cell ({@link RecurrentGenotype#toString()}); kept as text for the JSON. */
    @JsonProperty("genotype")
    private String genotype;
    private transient RecurrentGenotype parsed;

    /** For JSON deserialization. */
    private GenotypeCellLayer() {
    }

    private GenotypeCellLayer(Builder builder) {
        super(builder);
        if (builder.getRnnDataFormat() != RNNFormat.NCW) {
            throw new IllegalArgumentException("dataFormat of a GenotypeCellLayer must be NCW, but was "
                    + builder.getRnnDataFormat());
        }
        this.genotype = builder.cell.toString();
        this.parsed = builder.cell;
    }

    /** The cell this layer computes. */
    public RecurrentGenotype genotype() {
        if (parsed == null) {
            parsed = RecurrentGenotype.parse(genotype);
        }
        return parsed;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GenotypeCellLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        GenotypeCellRunningLayer layer = new GenotypeCellRunningLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GenotypeCellParameters.INSTANCE;
    }

    /**
     * Parameters, and per example and step the values the backward pass needs (per state its gate, activation and
     * value, {@code 3 (N + 1) H}, and the output), as much again in training.
     */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long length = inputType instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0
                ? r.getTimeSeriesLength() : 1;
        long params = initializer().numParams(this);
        long perExample = (3L * (genotype().size() + 1) + 1) * nOut * length;
        return new LayerMemoryReport.Builder(layerName, GenotypeCellLayer.class, inputType, out)
                .standardMemory(params, params).workingMemory(0, perExample, 0, 2 * perExample).cacheMemory(0, 0)
                .build();
    }

    @Override
    public String toString() {
        return "GenotypeCellLayer(nIn=" + nIn + ", nOut=" + nOut + ", " + genotype + ")";
    }

    /** Builds a {@link GenotypeCellLayer}; {@code nIn} and {@code nOut} are required, the data format stays NCW. */
    public static final class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private final RecurrentGenotype cell;

        /** @param genotype the cell */
        public Builder(RecurrentGenotype genotype) {
            this.cell = java.util.Objects.requireNonNull(genotype, "genotype");
        }

        @Override
        @SuppressWarnings("unchecked")
        public GenotypeCellLayer build() {
            return new GenotypeCellLayer(this);
        }
    }
}
