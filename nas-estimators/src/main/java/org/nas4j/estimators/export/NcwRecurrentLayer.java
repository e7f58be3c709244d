package org.nas4j.estimators.export;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link GruLayer} and {@link GenotypeCellLayer} share as DL4J layer configurations whose running layer nas4j
 * writes out: the NCW data format only, the running layer wired to its parameter views, and a memory report of the
 * parameters and the values kept per example and step. Error messages name the concrete layer class.
 */
abstract class NcwRecurrentLayer extends BaseRecurrentLayer {

    private static final long serialVersionUID = 1L;

    /** For JSON deserialization. */
    NcwRecurrentLayer() {
    }

    NcwRecurrentLayer(BaseRecurrentLayer.Builder<?> builder) {
        super(builder);
        if (builder.getRnnDataFormat() != RNNFormat.NCW) {
            throw new IllegalArgumentException("dataFormat of a " + getClass().getSimpleName()
                    + " must be NCW, but was " + builder.getRnnDataFormat());
        }
    }

    /** A new running layer of this configuration, before its listeners, index and parameters are set. */
    abstract Layer running(NeuralNetConfiguration conf, DataType networkDataType);

    /**
     * The values the forward pass keeps per example and step for the backward pass; the memory report counts them
     * once in inference and twice in training.
     */
    abstract long valuesPerStep();

    @Override
    public final Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNIn(), getNOut());
        Layer layer = running(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** Parameters, and {@link #valuesPerStep} per example and step, as much again in training. */
    @Override
    public final LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long length = inputType instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() > 0
                ? r.getTimeSeriesLength() : 1;
        long params = initializer().numParams(this);
        long perExample = valuesPerStep() * length;
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out).standardMemory(params, params)
                .workingMemory(0, perExample, 0, 2 * perExample).cacheMemory(0, 0).build();
    }
}
