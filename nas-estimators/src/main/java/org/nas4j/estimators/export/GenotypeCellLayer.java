package org.nas4j.estimators.export;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nd4j.linalg.api.buffer.DataType;
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
public final class GenotypeCellLayer extends NcwRecurrentLayer {

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
    GenotypeCellRunningLayer running(NeuralNetConfiguration conf, DataType networkDataType) {
        return new GenotypeCellRunningLayer(conf, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return GenotypeCellParameters.INSTANCE;
    }

    /** The values the backward pass needs per step: per state its gate, activation and value, and the output. */
    @Override
    long valuesPerStep() {
        return (3L * (genotype().size() + 1) + 1) * nOut;
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
