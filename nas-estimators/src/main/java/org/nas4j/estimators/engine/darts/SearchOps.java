package org.nas4j.estimators.engine.darts;

import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.BatchNorm;
import org.nas4j.estimators.engine.ops.DartsLayers;
import org.nas4j.estimators.engine.ops.FactorizedReduce;
import org.nas4j.estimators.engine.ops.Identity;
import org.nas4j.estimators.engine.ops.Pool2d;
import org.nas4j.estimators.engine.ops.Sequential;
import org.nas4j.estimators.engine.ops.Zero;

/**
 * The candidate ops of the DARTS search cell, as the reference's {@code MixedOp} builds them: batch norm without
 * affine parameters everywhere, pooling followed by such a batch norm, {@code skip_connect} a factorized reduce at
 * stride 2, {@code none} a (strided) zero.
 */
final class SearchOps {

    private SearchOps() {
    }

    /** Whether {@link #create} knows {@code op}. */
    static boolean supports(String op) {
        return switch (op) {
            case "none", "skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3", "sep_conv_5x5",
                    "sep_conv_7x7", "dil_conv_3x3", "dil_conv_5x5" -> true;
            default -> false;
        };
    }

    /** Makes op {@code op} for {@code channels -> channels} at the given stride. */
    static Layer create(ParameterSet params, String name, String op, int channels, int stride) {
        String n = name + "." + op;
        switch (op) {
            case "none":
                return new Zero(stride);
            case "skip_connect":
                return stride == 1 ? new Identity() : new FactorizedReduce(params, n, channels, channels, false);
            case "max_pool_3x3":
                return new Sequential(Pool2d.max(3, stride, 1), new BatchNorm(params, n + ".bn", channels, false));
            case "avg_pool_3x3":
                return new Sequential(Pool2d.average(3, stride, 1, false),
                        new BatchNorm(params, n + ".bn", channels, false));
            case "sep_conv_3x3":
            case "sep_conv_5x5":
            case "sep_conv_7x7":
                return DartsLayers.separableConv(params, n, channels, channels, op.charAt(9) - '0', stride, false);
            case "dil_conv_3x3":
            case "dil_conv_5x5":
                return DartsLayers.dilatedConv(params, n, channels, channels, op.charAt(9) - '0', stride, 2, false);
            default:
                throw new IllegalArgumentException("op '" + op + "' has no search-cell implementation; supported: "
                        + "none, skip_connect, max_pool_3x3, avg_pool_3x3, sep_conv_3x3/5x5/7x7, dil_conv_3x3/5x5");
        }
    }
}
