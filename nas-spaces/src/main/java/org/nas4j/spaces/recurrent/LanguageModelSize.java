package org.nas4j.spaces.recurrent;

/**
 * The sizes of the language model around a recurrent cell (the DARTS code's {@code RNNModel}): an embedding
 * {@code [vocabulary, embedding]}, the cell's input matrix {@code W0 [embedding + hidden, 2 * hidden]} and one
 * matrix {@code [hidden, 2 * hidden]} per node (no biases: the reference's {@code DARTSCell} declares none), and a
 * decoder whose weights are the embedding's (tied) with a bias of {@code vocabulary}. Tying needs
 * {@code embedding == hidden} (the reference asserts {@code ninp == nhid == nhidlast}).
 *
 * <pre>{@code
 * LanguageModelSize.PTB.parameters(8);   // 22,960,000 for DARTS' 8-node cell
 * }</pre>
 *
 * @param vocabulary tokens, at least 2
 * @param embedding  embedding size, at least 1
 * @param hidden     hidden size, equal to {@code embedding}
 */
public record LanguageModelSize(int vocabulary, int embedding, int hidden) {

    /** DARTS' Penn Treebank model ({@code rnn/train.py}: {@code emsize = nhid = 850}; PTB's 10,000 words). */
    public static final LanguageModelSize PTB = new LanguageModelSize(10_000, 850, 850);

    public LanguageModelSize {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("vocabulary must be >= 2, but was " + vocabulary);
        }
        if (embedding < 1 || hidden < 1) {
            throw new IllegalArgumentException("embedding and hidden must be >= 1, but were " + embedding + " and "
                    + hidden);
        }
        if (embedding != hidden) {
            throw new IllegalArgumentException("embedding must equal hidden for the tied decoder, but were "
                    + embedding + " and " + hidden);
        }
    }

    /**
     * The trainable values of the model with a cell of {@code nodes} intermediate nodes: encoder
     * {@code V * E}, {@code W0 (E + H) * 2H}, {@code nodes * H * 2H}, decoder bias {@code V}.
     *
     * @param nodes intermediate nodes after {@code s0}, at least 1
     */
    public long parameters(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, but was " + nodes);
        }
        long h2 = 2L * hidden;
        return (long) vocabulary * embedding + (long) (embedding + hidden) * h2 + nodes * hidden * h2 + vocabulary;
    }

    /**
     * Multiply-adds of the matrix products for one token (one step of one sequence): {@code W0 (E + H) * 2H},
     * {@code nodes * H * 2H} and the decoder {@code H * V}; the embedding is a lookup, and the gates, activations
     * and averages (element-wise) are not counted, as the convention for convolutions and linear layers.
     *
     * @param nodes intermediate nodes after {@code s0}, at least 1
     */
    public long multiplyAddsPerToken(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, but was " + nodes);
        }
        long h2 = 2L * hidden;
        return (long) (embedding + hidden) * h2 + nodes * hidden * h2 + (long) hidden * vocabulary;
    }
}
