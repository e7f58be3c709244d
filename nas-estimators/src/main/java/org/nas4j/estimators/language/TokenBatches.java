package org.nas4j.estimators.language;

/**
 * A token stream cut into {@code batch} contiguous columns (the reference's {@code batchify}: the tail that does not
 * fill a row is dropped), read in segments of consecutive rows (its {@code get_batch}): a segment starting at row
 * {@code i} of length {@code T} has inputs rows {@code i .. i+T-1} and targets rows {@code i+1 .. i+T}, both
 * step-major ({@code [t * batch + b]}). Immutable.
 */
public final class TokenBatches {

    private final int[] tokens;
    private final int batch;
    private final int rows;

    /**
     * @param tokens the stream
     * @param batch  columns, at least 1, with at least two rows ({@code tokens.length >= 2 * batch})
     */
    public TokenBatches(int[] tokens, int batch) {
        if (batch < 1 || tokens.length / batch < 2) {
            throw new IllegalArgumentException("batch must be in [1, tokens/2=" + tokens.length / 2 + "], but was "
                    + batch);
        }
        this.tokens = tokens.clone();
        this.batch = batch;
        this.rows = tokens.length / batch;
    }

    /** Columns. */
    public int batch() {
        return batch;
    }

    /** Rows (tokens per column). */
    public int rows() {
        return rows;
    }

    /** The number of predicted positions per column: every row but the last has a next token. */
    public int predictions() {
        return rows - 1;
    }

    /** The length of the segment starting at row {@code start}: {@code min(bptt, rows - 1 - start)}. */
    public int length(int start, int bptt) {
        if (start < 0 || start >= rows - 1 || bptt < 1) {
            throw new IllegalArgumentException("start must be in [0, " + (rows - 1) + ") and bptt >= 1, but were "
                    + start + " and " + bptt);
        }
        return Math.min(bptt, rows - 1 - start);
    }

    /** The inputs of the segment at row {@code start} of {@link #length} rows, step-major. */
    public int[] inputs(int start, int bptt) {
        return segment(start, length(start, bptt), 0);
    }

    /** The targets of the segment at row {@code start} (the inputs one row later), step-major. */
    public int[] targets(int start, int bptt) {
        return segment(start, length(start, bptt), 1);
    }

    private int[] segment(int start, int length, int shift) {
        int[] out = new int[length * batch];
        for (int t = 0; t < length; t++) {
            for (int b = 0; b < batch; b++) {
                out[t * batch + b] = tokens[b * rows + start + t + shift];
            }
        }
        return out;
    }
}
