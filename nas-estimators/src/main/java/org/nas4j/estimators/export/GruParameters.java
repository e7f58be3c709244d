package org.nas4j.estimators.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of a {@link GruLayer}, as views of the layer's flat array in this order: input weights
 * {@code W [nIn, 3H]}, recurrent weights {@code RW [H, 3H]}, input bias {@code b [1, 3H]}, recurrent bias
 * {@code rb [1, 3H]}. New weights come from the layer's weight init ({@code RW} from the recurrent one if set),
 * biases are the layer's bias init.
 */
final class GruParameters implements ParamInitializer {

    static final GruParameters INSTANCE = new GruParameters();

    static final String INPUT_WEIGHTS = "W";
    static final String RECURRENT_WEIGHTS = "RW";
    static final String INPUT_BIAS = "b";
    static final String RECURRENT_BIAS = "rb";

    private static final List<String> KEYS = List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS, INPUT_BIAS, RECURRENT_BIAS);

    private GruParameters() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GruLayer g = (GruLayer) layer;
        long gates = 3 * g.getNOut();
        return g.getNIn() * gates + g.getNOut() * gates + 2 * gates;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(INPUT_BIAS, RECURRENT_BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return key.equals(INPUT_WEIGHTS) || key.equals(RECURRENT_WEIGHTS);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return key.equals(INPUT_BIAS) || key.equals(RECURRENT_BIAS);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GruLayer g = (GruLayer) conf.getLayer();
        Map<String, INDArray> views = views(g, paramsView);
        if (initializeParams) {
            long gates = 3 * g.getNOut();
            IWeightInit recurrent = g.getWeightInitFnRecurrent() != null ? g.getWeightInitFnRecurrent()
                    : g.getWeightInitFn();
            g.getWeightInitFn().init(g.getNIn(), gates, views.get(INPUT_WEIGHTS).shape(), 'c',
                    views.get(INPUT_WEIGHTS));
            recurrent.init(g.getNOut(), gates, views.get(RECURRENT_WEIGHTS).shape(), 'c',
                    views.get(RECURRENT_WEIGHTS));
            views.get(INPUT_BIAS).assign(g.getBiasInit());
            views.get(RECURRENT_BIAS).assign(g.getBiasInit());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((GruLayer) conf.getLayer(), gradientView);
    }

    /** The four arrays as views of {@code flat}, which must hold exactly {@link #numParams(Layer)} values. */
    private Map<String, INDArray> views(GruLayer g, INDArray flat) {
        long n = numParams(g);
        if (flat.length() != n || !flat.isVector()) {
            throw new IllegalArgumentException("the parameter view of " + g + " must be a vector of " + n
                    + " values, but had shape " + java.util.Arrays.toString(flat.shape()));
        }
        long in = g.getNIn();
        long hidden = g.getNOut();
        long gates = 3 * hidden;
        INDArray row = flat.reshape(n);
        Map<String, INDArray> views = new LinkedHashMap<>();
        long from = 0;
        for (String key : KEYS) {
            long rows = key.equals(INPUT_WEIGHTS) ? in : key.equals(RECURRENT_WEIGHTS) ? hidden : 1;
            views.put(key, row.get(NDArrayIndex.interval(from, from + rows * gates)).reshape('c', rows, gates));
            from += rows * gates;
        }
        return views;
    }
}
