package org.nas4j.spaces.nasbench101;

import java.util.List;
import org.nas4j.core.space.OpSpec;
import org.nas4j.core.space.OpSpecs;

/**
 * The vertex labels of NAS-Bench-101 cells and their op specifications.
 *
 * <p>The interior ops, in the benchmark's canonical order ({@code config['available_ops']}), are
 * {@value #CONV3X3}, {@value #CONV1X1} and {@value #MAXPOOL3X3}; the graph hash labels them by their index in
 * {@link #OPERATIONS} and labels the input -1 and the output -2. The convolutions are convolution (no bias),
 * batch norm (with its two affine parameters per channel), ReLU, at stride 1 with "same" padding; the max pool
 * is 3x3, stride 1, "same" padding, without parameters.
 */
public final class NasBench101Ops {
    /** The label of the cell's input vertex (always vertex 0). */
    public static final String INPUT = "input";
    /** The label of the cell's output vertex (always the last vertex). */
    public static final String OUTPUT = "output";
    /** 3x3 convolution, batch norm, ReLU. */
    public static final String CONV3X3 = "conv3x3-bn-relu";
    /** 1x1 convolution, batch norm, ReLU. */
    public static final String CONV1X1 = "conv1x1-bn-relu";
    /** 3x3 max pool, stride 1. */
    public static final String MAXPOOL3X3 = "maxpool3x3";

    /** The interior ops in the benchmark's canonical order (their hash labels are 0, 1, 2). */
    public static final List<String> OPERATIONS = List.of(CONV3X3, CONV1X1, MAXPOOL3X3);

    /** Hash label of the input vertex. */
    public static final int INPUT_LABEL = -1;
    /** Hash label of the output vertex. */
    public static final int OUTPUT_LABEL = -2;

    // conv-BN-ReLU and ReLU-conv-BN have the same parameter and multiply-add counts; OpSpecs names the latter.
    private static final OpSpec CONV3X3_SPEC = OpSpecs.reluConvBn(CONV3X3, 3, true);
    private static final OpSpec CONV1X1_SPEC = OpSpecs.reluConvBn(CONV1X1, 1, true);
    private static final OpSpec MAXPOOL3X3_SPEC = OpSpecs.pool(MAXPOOL3X3, 3);

    private NasBench101Ops() {
    }

    /**
     * The hash label of a vertex label: -1 for input, -2 for output, else the index in {@link #OPERATIONS}.
     *
     * @throws IllegalArgumentException for an unknown label
     */
    public static int label(String op) {
        switch (op) {
            case INPUT:
                return INPUT_LABEL;
            case OUTPUT:
                return OUTPUT_LABEL;
            default:
                int i = OPERATIONS.indexOf(op);
                if (i < 0) {
                    throw new IllegalArgumentException("op must be one of " + OPERATIONS + ", '" + INPUT + "' or '"
                            + OUTPUT + "', but was '" + op + "'");
                }
                return i;
        }
    }

    /**
     * The specification of an interior op ({@link #CONV1X1} is also the cell's 1x1 projection).
     *
     * @throws IllegalArgumentException for anything but the three interior ops
     */
    public static OpSpec spec(String op) {
        switch (op) {
            case CONV3X3:
                return CONV3X3_SPEC;
            case CONV1X1:
                return CONV1X1_SPEC;
            case MAXPOOL3X3:
                return MAXPOOL3X3_SPEC;
            default:
                throw new IllegalArgumentException("op must be one of " + OPERATIONS + ", but was '" + op + "'");
        }
    }
}
