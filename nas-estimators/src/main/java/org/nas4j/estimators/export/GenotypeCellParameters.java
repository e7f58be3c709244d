package org.nas4j.estimators.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of a {@link GenotypeCellLayer}, as views of the layer's flat array in this order: {@code W0
 * [nIn + H, 2H]}, then {@code W1 .. WN} {@code [H, 2H]}, each 'c' order; the keys are their names. New values come
 * from the layer's weight init ({@code W1 .. WN} from the recurrent one if set). No biases.
 */
final class GenotypeCellParameters implements ParamInitializer {

    static final GenotypeCellParameters INSTANCE = new GenotypeCellParameters();

    private GenotypeCellParameters() {
    }

    /** The key of state {@code k}'s matrix: {@code "W0"}, {@code "W1"}, ... */
    static String key(int k) {
        return "W" + k;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GenotypeCellLayer g = (GenotypeCellLayer) layer;
        long hidden = g.getNOut();
        return (g.getNIn() + hidden) * 2 * hidden + g.genotype().size() * hidden * 2 * hidden;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        GenotypeCellLayer g = (GenotypeCellLayer) layer;
        List<String> keys = new ArrayList<>();
        for (int k = 0; k <= g.genotype().size(); k++) {
            keys.add(key(k));
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return paramKeys(layer);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return paramKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GenotypeCellLayer g = (GenotypeCellLayer) conf.getLayer();
        Map<String, INDArray> views = views(g, paramsView);
        if (initializeParams) {
            long columns = 2 * g.getNOut();
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                boolean input = e.getKey().equals(key(0));
                var init = input || g.getWeightInitFnRecurrent() == null ? g.getWeightInitFn()
                        : g.getWeightInitFnRecurrent();
                init.init(e.getValue().size(0), columns, e.getValue().shape(), 'c', e.getValue());
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((GenotypeCellLayer) conf.getLayer(), gradientView);
    }

    /** The matrices as views of {@code flat}, which must hold exactly {@link #numParams(Layer)} values. */
    private Map<String, INDArray> views(GenotypeCellLayer g, INDArray flat) {
        long n = numParams(g);
        if (flat.length() != n || !flat.isVector()) {
            throw new IllegalArgumentException("the parameter view of " + g + " must be a vector of " + n
                    + " values, but had shape " + java.util.Arrays.toString(flat.shape()));
        }
        long hidden = g.getNOut();
        long columns = 2 * hidden;
        INDArray row = flat.reshape(n);
        Map<String, INDArray> views = new LinkedHashMap<>();
        long from = 0;
        for (int k = 0; k <= g.genotype().size(); k++) {
            long rows = k == 0 ? g.getNIn() + hidden : hidden;
            views.put(key(k), row.get(NDArrayIndex.interval(from, from + rows * columns)).reshape('c', rows,
                    columns));
            from += rows * columns;
        }
        return views;
    }
}
