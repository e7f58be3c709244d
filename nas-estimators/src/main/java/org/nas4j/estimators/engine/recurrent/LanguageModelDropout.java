package org.nas4j.estimators.engine.recurrent;

/**
 * The dropouts of the DARTS code's {@code RNNModel} (after AWD-LSTM, Merity et al. 2018). Every mask is drawn
 * once per forward call (one truncated-BPTT segment) and applied at every step of it. Each rate is in [0, 1).
 *
 * @param embedding {@code dropoute}: whole rows of the embedding (words) dropped, the others scaled
 * @param input     {@code dropouti}: a locked mask {@code [batch, embedding]} on the embedded inputs
 * @param x         {@code dropoutx}: the cell's variational mask on its input {@code x}
 * @param hidden    {@code dropouth}: the cell's variational mask on {@code h} and on every state a node reads
 * @param output    {@code dropout}: a locked mask {@code [batch, hidden]} on the cell's outputs before the decoder
 */
public record LanguageModelDropout(double embedding, double input, double x, double hidden, double output) {

    /**
     * DARTS' rates on Penn Treebank, the same in its search and its evaluation ({@code rnn/train_search.py} and
     * {@code rnn/train.py} defaults: {@code dropoute=0}, {@code dropouti=0.2}, {@code dropoutx=0.75},
     * {@code dropouth=0.25}, {@code dropout=0.75}).
     */
    public static final LanguageModelDropout DARTS_PTB = new LanguageModelDropout(0.0, 0.2, 0.75, 0.25, 0.75);

    /** No dropout at all. */
    public static final LanguageModelDropout NONE = new LanguageModelDropout(0, 0, 0, 0, 0);

    public LanguageModelDropout {
        check("embedding", embedding);
        check("input", input);
        check("x", x);
        check("hidden", hidden);
        check("output", output);
    }

    private static void check(String name, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(name + " dropout must be in [0, 1), but was " + rate);
        }
    }
}
