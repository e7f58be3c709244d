package org.nas4j.estimators.engine.ops;

import org.nas4j.estimators.engine.Buffer;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A lookup table {@code [vocabulary, dimension]}: {@link #forward} returns the rows of the given ids (libnd4j
 * {@code gather}), {@link #backward} writes the table's gradient, the output gradient's rows added into the rows
 * they came from ({@code scatter_add}; an id looked up twice gets both rows). PyTorch's {@code nn.Embedding}.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(params, "emb", 10, 32, Initializer.uniform(0.08));
 * INDArray x = emb.forward(new int[] {3, 0, 3});   // [3, 32]
 * emb.backward(gradX);
 * }</pre>
 */
public final class Embedding {

    private final int vocabulary;
    private final int dimension;
    private final Parameter table;
    private final NativeOp gather = NativeOp.named("gather").intArgs(0);
    private final NativeOp scatterAdd = NativeOp.named("scatter_add");
    private final Buffer output = new Buffer();
    private final Buffer idBuffer = new Buffer();
    private INDArray ids;

    /**
     * Declares the table.
     *
     * @param params      where the table is declared
     * @param name        prefix of the parameter name
     * @param vocabulary  number of rows, at least 1
     * @param dimension   row length, at least 1
     * @param initializer initial values of the table
     */
    public Embedding(ParameterSet params, String name, int vocabulary, int dimension, Initializer initializer) {
        if (vocabulary < 1 || dimension < 1) {
            throw new IllegalArgumentException("vocabulary and dimension must be >= 1, but were " + vocabulary
                    + " and " + dimension);
        }
        this.vocabulary = vocabulary;
        this.dimension = dimension;
        this.table = params.add(name + ".table", new long[] {vocabulary, dimension}, initializer);
    }

    /** The table parameter, {@code [vocabulary, dimension]}. */
    public Parameter table() {
        return table;
    }

    /**
     * Looks up rows.
     *
     * @param rowIds ids in {@code [0, vocabulary)}, at least one
     * @return {@code [rowIds.length, dimension]}, owned by this layer until its next forward
     */
    public INDArray forward(int[] rowIds) {
        if (rowIds.length == 0) {
            throw new IllegalArgumentException("rowIds must not be empty");
        }
        for (int i = 0; i < rowIds.length; i++) {
            if (rowIds[i] < 0 || rowIds[i] >= vocabulary) {
                throw new IllegalArgumentException("rowIds[" + i + "] must be in [0, " + vocabulary + "), but was "
                        + rowIds[i]);
            }
        }
        ids = idBuffer.get(DataType.INT, rowIds.length);
        ids.data().setData(rowIds);
        INDArray y = output.get(table.value().dataType(), rowIds.length, dimension);
        gather.exec(y, table.value(), ids);
        return y;
    }

    /**
     * Writes the table's gradient for the last forward call and marks it.
     *
     * @param gradOutput {@code [rows of the last forward, dimension]}
     */
    public void backward(INDArray gradOutput) {
        if (ids == null) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        if (gradOutput.rank() != 2 || gradOutput.size(0) != ids.length() || gradOutput.size(1) != dimension) {
            throw new IllegalArgumentException("gradOutput must be [" + ids.length() + ", " + dimension
                    + "], but was " + java.util.Arrays.toString(gradOutput.shape()));
        }
        INDArray g = table.gradient();
        g.assign(0);
        scatterAdd.exec(g, g, ids, gradOutput);
        table.markGradient();
    }
}
