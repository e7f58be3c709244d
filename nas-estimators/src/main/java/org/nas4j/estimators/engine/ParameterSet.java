package org.nas4j.estimators.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trainable parameters of one network, stored in one flat value buffer and one flat gradient buffer.
 *
 * <p>Layers declare their parameters with {@link #add} while the network is being built; the network's factory
 * then calls {@link #seal()}, which allocates both flat buffers, makes every parameter a view into them and fills
 * the initial values. Keeping everything in one buffer lets an optimizer update all parameters with one native call
 * (e.g. one {@code adam_updater} over the whole buffer).
 *
 * <pre>{@code
 * ParameterSet params = new ParameterSet(DataType.FLOAT, 42);
 * Conv2d conv = Conv2d.builder(params, "stem", 3, 16, 3).padding(1).build();
 * params.seal();
 * }</pre>
 *
 * <p>Initial values are reproducible: parameter {@code i} draws from a generator derived from the seed and
 * {@code i}, so they depend only on the seed and the order of declaration.
 */
public final class ParameterSet {

    private final DataType dataType;
    private final long seed;
    private final List<Parameter> parameters = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, double[]> states = new LinkedHashMap<>();
    private final List<RunningStatistics> runningStatistics = new ArrayList<>();
    private final List<org.nas4j.estimators.engine.ops.Dropout> dropouts = new ArrayList<>();
    private long size;
    private INDArray values;
    private INDArray gradients;

    /**
     * Creates an empty, unsealed set.
     *
     * @param dataType FLOAT for training, DOUBLE for gradient checks
     * @param seed     root seed of the initial values
     */
    public ParameterSet(DataType dataType, long seed) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE && dataType != DataType.HALF) {
            throw new IllegalArgumentException("dataType must be FLOAT, DOUBLE or HALF, but was " + dataType);
        }
        this.dataType = dataType;
        this.seed = seed;
    }

    /** The root seed of the initial values (layers with randomness of their own, such as dropout, derive theirs). */
    public long seed() {
        return seed;
    }

    /** The data type of every parameter, and of the activations of the networks built on this set. */
    public DataType dataType() {
        return dataType;
    }

    /**
     * Declares a parameter.
     *
     * @param name        unique name
     * @param shape       its shape; every dimension at least 1
     * @param initializer how to fill its initial values when the set is sealed
     * @return the parameter, whose storage exists once the set is sealed
     */
    public Parameter add(String name, long[] shape, Initializer initializer) {
        if (isSealed()) {
            throw new IllegalStateException("cannot add parameter '" + name + "': the set is already sealed");
        }
        if (name == null || !names.add(name)) {
            throw new IllegalArgumentException("name must be unique and non-null, but was '" + name + "'");
        }
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape of '" + name + "' must have dimensions >= 1, but was "
                        + java.util.Arrays.toString(shape));
            }
        }
        Parameter p = new Parameter(this, name, shape, size, initializer);
        parameters.add(p);
        size += p.length();
        return p;
    }

    /**
     * Registers non-trainable state that a layer keeps and updates in place (batch norm's running statistics), so
     * that it can be saved and restored with the parameters (e.g. by weight inheritance). May be called before or
     * after {@link #seal()}.
     *
     * @param name   unique among the states
     * @param values the layer's own array
     */
    public void addState(String name, double[] values) {
        if (name == null || values == null || states.containsKey(name)) {
            throw new IllegalArgumentException("state name must be unique and non-null, and values non-null, but "
                    + "name was '" + name + "'");
        }
        states.put(name, values);
    }

    /**
     * The registered non-trainable states by name, in registration order. The arrays are the layers' own: writing
     * into one changes the layer's state.
     */
    public Map<String, double[]> states() {
        return Collections.unmodifiableMap(states);
    }

    /**
     * Registers a layer whose running statistics can be recomputed (batch norm; see {@link RunningStatistics}). May be
     * called before or after {@link #seal()}.
     */
    public void addRunningStatistics(RunningStatistics layer) {
        runningStatistics.add(java.util.Objects.requireNonNull(layer, "layer"));
    }

    /** The layers registered with {@link #addRunningStatistics}, in registration order. */
    public List<RunningStatistics> runningStatistics() {
        return Collections.unmodifiableList(runningStatistics);
    }

    /**
     * Registers a dropout layer, so that a compiler can switch all of a network's dropout on in inference
     * ({@link org.nas4j.estimators.engine.ops.Dropout#dropInInference(boolean)}). May be called before or after
     * {@link #seal()}.
     */
    public void addDropout(org.nas4j.estimators.engine.ops.Dropout layer) {
        dropouts.add(java.util.Objects.requireNonNull(layer, "layer"));
    }

    /** The layers registered with {@link #addDropout}, in registration order. */
    public List<org.nas4j.estimators.engine.ops.Dropout> dropouts() {
        return Collections.unmodifiableList(dropouts);
    }

    /** Allocates the flat buffers, binds every parameter to its views and writes the initial values. */
    public void seal() {
        if (isSealed()) {
            throw new IllegalStateException("the set is already sealed");
        }
        long n = Math.max(size, 1);
        values = MemoryScope.track(Nd4j.zeros(dataType, n));
        gradients = MemoryScope.track(Nd4j.zeros(dataType, n));
        SplittableRandom root = new SplittableRandom(seed);
        for (Parameter p : parameters) {
            p.bind(view(values, p.offset(), p.shape()), view(gradients, p.offset(), p.shape()));
            double[] init = new double[Math.toIntExact(p.length())];
            p.initializer().fill(init, root.split());
            p.value().assign(Nd4j.createFromArray(init).castTo(dataType).reshape(p.shape()));
        }
    }

    /** Whether {@link #seal()} has run. */
    public boolean isSealed() {
        return values != null;
    }

    /** The parameters in order of declaration. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Total number of trainable values (what papers report as "#params"). */
    public long size() {
        return size;
    }

    /** The flat value buffer, of length {@link #size()} (at least 1). */
    public INDArray values() {
        requireSealed();
        return values;
    }

    /** The flat gradient buffer, parallel to {@link #values()}. */
    public INDArray gradients() {
        requireSealed();
        return gradients;
    }

    /**
     * A contiguous view of {@code length} elements of a flat buffer of this set (values, gradients or an optimizer's
     * state of the same length), starting at {@code offset}.
     */
    public static INDArray range(INDArray flat, long offset, long length) {
        return view(flat, offset, new long[] {length});
    }

    private static INDArray view(INDArray flat, long offset, long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        return Nd4j.create(flat.data(), shape, strides, offset, 'c', flat.dataType());
    }

    private void requireSealed() {
        if (!isSealed()) {
            throw new IllegalStateException("the set is not sealed yet: call seal() after building the network");
        }
    }
}
