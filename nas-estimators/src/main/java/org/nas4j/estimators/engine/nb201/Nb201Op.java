package org.nas4j.estimators.engine.nb201;

import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.DartsLayers;
import org.nas4j.estimators.engine.ops.Identity;
import org.nas4j.estimators.engine.ops.Pool2d;
import org.nas4j.estimators.engine.ops.Zero;

/** The five candidate ops of a NAS-Bench-201 cell edge, in the benchmark's order (the op index is the ordinal). */
public enum Nb201Op {
    /** Outputs zeros (no connection). */
    NONE("none"),
    /** Identity. */
    SKIP_CONNECT("skip_connect"),
    /** ReLU, 1x1 convolution, batch norm. */
    NOR_CONV_1X1("nor_conv_1x1"),
    /** ReLU, 3x3 convolution, batch norm. */
    NOR_CONV_3X3("nor_conv_3x3"),
    /** 3x3 average pooling, stride 1, padding 1, padding excluded from the divisor. */
    AVG_POOL_3X3("avg_pool_3x3");

    private final String label;

    Nb201Op(String label) {
        this.label = label;
    }

    /** The name used in NAS-Bench-201 architecture strings, e.g. {@code "nor_conv_3x3"}. */
    public String label() {
        return label;
    }

    /** The op with the given architecture-string name. */
    public static Nb201Op of(String label) {
        for (Nb201Op op : values()) {
            if (op.label.equals(label)) {
                return op;
            }
        }
        throw new IllegalArgumentException("label must be one of none, skip_connect, nor_conv_1x1, nor_conv_3x3,"
                + " avg_pool_3x3, but was '" + label + "'");
    }

    /** Instantiates this op on {@code channels} channels (stride 1, affine batch norm). */
    Layer create(ParameterSet params, String name, int channels) {
        return switch (this) {
            case NONE -> new Zero();
            case SKIP_CONNECT -> new Identity();
            case NOR_CONV_1X1 -> DartsLayers.reluConvBn(params, name + ".conv1x1", channels, channels, 1, 1, true);
            case NOR_CONV_3X3 -> DartsLayers.reluConvBn(params, name + ".conv3x3", channels, channels, 3, 1, true);
            case AVG_POOL_3X3 -> Pool2d.average(3, 1, 1, false);
        };
    }

    /** Whether this op starts with a ReLU of its input ({@link #createOnRelu} leaves it out). */
    boolean startsWithRelu() {
        return this == NOR_CONV_1X1 || this == NOR_CONV_3X3;
    }

    /**
     * Like {@link #create} (same parameters and names), but for an op that {@link #startsWithRelu} without that
     * ReLU: the op's input is then the ReLU of the edge's input, which the cell computes once per node.
     */
    Layer createOnRelu(ParameterSet params, String name, int channels) {
        return switch (this) {
            case NOR_CONV_1X1 -> DartsLayers.convBn(params, name + ".conv1x1", channels, channels, 1, 1, true);
            case NOR_CONV_3X3 -> DartsLayers.convBn(params, name + ".conv3x3", channels, channels, 3, 1, true);
            default -> create(params, name, channels);
        };
    }
}
