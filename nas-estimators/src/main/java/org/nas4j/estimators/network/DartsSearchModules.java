package org.nas4j.estimators.network;

import java.util.List;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The candidate ops of the DARTS search network as the reference's {@code MixedOp} builds them
 * ({@code cnn/model_search.py}, {@code operations.py} with {@code affine=False}): batch norm without affine
 * parameters in every op, pools followed by such a batch norm, {@code skip_connect} at stride 2 a factorized reduce
 * without affine parameters, and the cells' preprocessing ({@code relu_conv_bn_1x1}, {@code factorized_reduce})
 * likewise. {@code none} is the zero op, which supernet edges skip. See {@link ModuleCatalogue#dartsSearch()}.
 */
final class DartsSearchModules {

    /** The cell ops this class makes. */
    static final List<String> OPS = List.of("skip_connect", "max_pool_3x3", "avg_pool_3x3", "sep_conv_3x3",
            "sep_conv_5x5", "sep_conv_7x7", "dil_conv_3x3", "dil_conv_5x5");

    private DartsSearchModules() {
    }

    /** {@code catalogue} with the search ops of {@link #OPS} and the preprocessing ops, all without affine BN. */
    static ModuleCatalogue addTo(ModuleCatalogue catalogue) {
        ModuleCatalogue c = catalogue;
        for (String op : OPS) {
            c = c.with(op, (p, n, in, out, s) -> create(p, n, op, in, out, s));
        }
        return c.with("relu_conv_bn_1x1", (p, n, in, out, s) -> Modules.reluConvBn(p, n, in, out, 1, s, false))
                .with("factorized_reduce", (p, n, in, out, s) -> DartsModules.factorizedReduce(p, n, in, out, false));
    }

    private static Module create(ParameterSet params, String name, String op, int in, int out, int stride) {
        switch (op) {
            case "skip_connect":
                return stride == 1 && in == out ? Modules.identity()
                        : DartsModules.factorizedReduce(params, name + ".skip", in, out, false);
            case "max_pool_3x3":
                return Modules.sequence(Modules.maxPool(name + ".maxpool", 3, stride, 1),
                        Modules.batchNorm(params, name + ".maxpool.bn", out, false));
            case "avg_pool_3x3":
                return Modules.sequence(Modules.averagePool(name + ".avgpool", 3, stride, 1, false),
                        Modules.batchNorm(params, name + ".avgpool.bn", out, false));
            case "sep_conv_3x3":
            case "sep_conv_5x5":
            case "sep_conv_7x7": {
                int k = op.charAt(9) - '0';
                return Modules.sequence(DartsModules.dilatedConv(params, name + ".sep.a", in, in, k, stride, 1, false),
                        DartsModules.dilatedConv(params, name + ".sep.b", in, out, k, 1, 1, false));
            }
            case "dil_conv_3x3":
            case "dil_conv_5x5": {
                int k = op.charAt(9) - '0';
                return DartsModules.dilatedConv(params, name + ".dil", in, out, k, stride, 2, false);
            }
            default:
                throw new IllegalArgumentException("op must be one of the DARTS search ops " + OPS + ", but was '"
                        + op + "'");
        }
    }
}
