package org.nas4j.estimators.engine.ops;

import static org.nas4j.estimators.engine.GradientCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.OutputObserver;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Convolutions and linear layers report each pass's output and its gradient to their weight's observer. */
class OutputObserverTest {

    /** Copies of what a layer reported, in order: "forward" or "backward" and the array. */
    private static final class Recorder implements OutputObserver {
        final List<String> calls = new ArrayList<>();
        final List<INDArray> arrays = new ArrayList<>();

        @Override
        public void forward(INDArray output) {
            calls.add("forward");
            arrays.add(output.dup());
        }

        @Override
        public void backward(INDArray gradOutput) {
            calls.add("backward");
            arrays.add(gradOutput.dup());
        }
    }

    private static Parameter weight(ParameterSet params) {
        return params.parameters().stream().filter(p -> p.name().equals("l.weight")).findFirst().orElseThrow();
    }

    /** One pass observed, then one pass after the observer is removed: only the first is reported. */
    private static void reportsOnePass(ParameterSet params, Layer layer, long... inputShape) {
        params.seal();
        Parameter w = weight(params);
        Recorder r = new Recorder();
        w.observeOutputs(r);
        INDArray y = layer.forward(random(1, inputShape).castTo(params.dataType()), Mode.TRAINING).dup();
        INDArray gy = random(2, y.shape()).castTo(params.dataType());
        layer.backward(gy);
        assertEquals(List.of("forward", "backward"), r.calls);
        assertEquals(y, r.arrays.get(0), "the output the layer returned");
        assertEquals(gy, r.arrays.get(1), "the gradient its backward pass received");
        w.observeOutputs(null);
        layer.backward(gy);
        layer.forward(random(3, inputShape).castTo(params.dataType()), Mode.TRAINING);
        assertEquals(2, r.calls.size(), "no report once the observer is removed");
    }

    @Test
    void plainConvolutionReports() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        reportsOnePass(p, Conv2d.builder(p, "l", 2, 3, 3).padding(1).bias(true).build(), 2, 2, 5, 5);
    }

    @Test
    void depthwiseConvolutionReports() {
        ParameterSet p = new ParameterSet(DataType.FLOAT, 7);
        reportsOnePass(p, Conv2d.builder(p, "l", 3, 6, 3).padding(1).groups(3).build(), 2, 3, 5, 5);
    }

    @Test
    void linearLayerReports() {
        ParameterSet p = new ParameterSet(DataType.DOUBLE, 7);
        reportsOnePass(p, new Dense(p, "l", 4, 3), 5, 4);
    }
}
