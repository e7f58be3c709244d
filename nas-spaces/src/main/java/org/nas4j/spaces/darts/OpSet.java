package org.nas4j.spaces.darts;

import java.util.List;

/**
 * The operation sets of the cell-search papers, under the DARTS code's names ({@link DartsOps}). None of them lists
 * {@code none}: the zero op is a search-time op of the DARTS supernet, added to a space by
 * {@link DartsSpace.Builder#includeNone(boolean)}.
 */
public enum OpSet {
    /**
     * DARTS (Liu et al., 2019), the {@code PRIMITIVES} of the reference without {@code none}: max_pool_3x3,
     * avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5.
     */
    DARTS(List.of("max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
            "dil_conv_5x5")),
    /**
     * NASNet (Zoph et al., 2018), the 13 operations of the paper: identity, 1x3 then 3x1 convolution, 1x7 then
     * 7x1 convolution, 3x3 dilated convolution, 3x3 average pooling, 3x3 / 5x5 / 7x7 max pooling, 1x1 and 3x3
     * convolution, 3x3 / 5x5 / 7x7 depthwise-separable convolution (names as in the NDS / DARTS code family).
     */
    NASNET(List.of("skip_connect", "conv_3x1_1x3", "conv_7x1_1x7", "dil_conv_3x3", "avg_pool_3x3", "max_pool_3x3",
            "max_pool_5x5", "max_pool_7x7", "conv_1x1", "conv_3x3", "sep_conv_3x3", "sep_conv_5x5",
            "sep_conv_7x7")),
    /**
     * PNAS (Liu et al., 2018), 8 operations: 3x3 / 5x5 / 7x7 depthwise-separable convolution, 1x7 then 7x1
     * convolution, identity, 3x3 average pooling, 3x3 max pooling, 3x3 dilated convolution.
     */
    PNAS(List.of("sep_conv_3x3", "sep_conv_5x5", "sep_conv_7x7", "conv_7x1_1x7", "skip_connect", "avg_pool_3x3",
            "max_pool_3x3", "dil_conv_3x3"));

    private final List<String> ops;

    OpSet(List<String> ops) {
        this.ops = ops;
    }

    /** The operation names, in a fixed order. */
    public List<String> ops() {
        return ops;
    }
}
