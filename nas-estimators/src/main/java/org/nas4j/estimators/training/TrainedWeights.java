package org.nas4j.estimators.training;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A snapshot of a trained network: every trainable parameter by name (shape and values) and every non-trainable
 * state array by name (batch norm's running mean and variance). A child network {@linkplain #initialise starts}
 * from it wherever its own parameters have the same name and shape, which is how large-scale evolution's weight
 * inheritance keeps the layers a mutation did not change. Immutable (its arrays are private copies).
 *
 * <pre>{@code
 * TrainedWeights parent = TrainedWeights.of(trainedNetwork);
 * TrainedWeights.Inherited n = parent.initialise(childNetwork);   // before training the child
 * }</pre>
 *
 * @param parameters trainable arrays by name, in the network's order of declaration
 * @param states     non-trainable arrays by name (e.g. {@code stem.bn.running_mean})
 */
public record TrainedWeights(Map<String, NamedArray> parameters, Map<String, double[]> states) {

    /**
     * One stored parameter.
     *
     * @param shape  its shape
     * @param values its values in C order (float networks' values are exactly representable)
     */
    public record NamedArray(long[] shape, double[] values) {
        public NamedArray {
            shape = shape.clone();
            values = values.clone();
            if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) {
                throw new IllegalArgumentException("values must hold " + Arrays.toString(shape) + " elements, but had "
                        + values.length);
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        boolean hasShape(long[] other) {
            return Arrays.equals(shape, other);
        }
    }

    /**
     * What a child took from its parent.
     *
     * @param values     trainable values inherited
     * @param parameters parameter arrays inherited (out of the child's)
     * @param states     state arrays inherited (batch norm running statistics)
     * @param total      trainable values of the child
     */
    public record Inherited(long values, int parameters, int states, long total) {
        /** The share of the child's trainable values that were inherited, in [0, 1]. */
        public double share() {
            return total == 0 ? 0 : (double) values / total;
        }
    }

    public TrainedWeights {
        Map<String, NamedArray> p = new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters"));
        Map<String, double[]> s = new LinkedHashMap<>();
        Objects.requireNonNull(states, "states").forEach((k, v) -> s.put(k, v.clone()));
        parameters = Collections.unmodifiableMap(p);
        states = Collections.unmodifiableMap(s);
    }

    /** A copy of the current weights and states of {@code network}. */
    public static TrainedWeights of(TrainableNetwork network) {
        ParameterSet set = network.parameters();
        Map<String, NamedArray> p = new LinkedHashMap<>();
        for (Parameter param : set.parameters()) {
            p.put(param.name(), new NamedArray(param.shape(), param.value().dup().castTo(
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble()));
        }
        return new TrainedWeights(p, set.states());
    }

    /**
     * Overwrites every parameter and state of {@code child} whose name and shape (length, for states) match one
     * stored here with the stored values; the others keep their initial values. Call it after the child is built
     * and before it trains.
     *
     * @return what was inherited
     */
    public Inherited initialise(TrainableNetwork child) {
        ParameterSet set = child.parameters();
        long values = 0;
        int arrays = 0;
        for (Parameter param : set.parameters()) {
            NamedArray stored = parameters.get(param.name());
            if (stored != null && stored.hasShape(param.shape())) {
                param.value().assign(Nd4j.createFromArray(stored.values).castTo(set.dataType())
                        .reshape(param.shape()));
                values += param.length();
                arrays++;
            }
        }
        int stateArrays = 0;
        for (Map.Entry<String, double[]> state : set.states().entrySet()) {
            double[] stored = states.get(state.getKey());
            if (stored != null && stored.length == state.getValue().length) {
                System.arraycopy(stored, 0, state.getValue(), 0, stored.length);
                stateArrays++;
            }
        }
        return new Inherited(values, arrays, stateArrays, set.size());
    }

    /** Trainable values stored. */
    public long size() {
        return parameters.values().stream().mapToLong(a -> a.values.length).sum();
    }
}
