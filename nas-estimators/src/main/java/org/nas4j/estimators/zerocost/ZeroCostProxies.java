package org.nas4j.estimators.zerocost;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.estimators.network.NetworkFactory;

/**
 * The zero-cost proxies by name, as printed: {@code synflow}, {@code snip}, {@code grasp}, {@code grad_norm},
 * {@code fisher}, {@code jacob_cov}, {@code naswot}, {@code params}, {@code flops}. Definitions and sources:
 * docs/estimators/zero-cost.md.
 *
 * <pre>{@code
 * ZeroCostProxy synflow = ZeroCostProxies.named("synflow");
 * double score = synflow.score(context);
 * }</pre>
 */
public final class ZeroCostProxies {
    /** Every proxy's name, in the order of the docs. */
    public static final List<String> NAMES = List.of("synflow", "snip", "grasp", "grad_norm", "fisher", "jacob_cov",
            "naswot", "params", "flops");

    private ZeroCostProxies() {
    }

    /** The proxy called {@code name}; an exception naming the known ones otherwise. */
    public static ZeroCostProxy named(String name) {
        return named(name, null);
    }

    /**
     * The proxy called {@code name}, synflow computed on the networks of {@code synflowNetworks} (e.g. a DOUBLE
     * factory) when not null.
     */
    public static ZeroCostProxy named(String name, NetworkFactory synflowNetworks) {
        return switch (name) {
            case "synflow" -> new Synflow(synflowNetworks);
            case "snip" -> new GradientProxy(GradientProxy.Kind.SNIP);
            case "grasp" -> new Grasp();
            case "grad_norm" -> new GradientProxy(GradientProxy.Kind.GRAD_NORM);
            case "fisher" -> new Fisher();
            case "jacob_cov" -> new JacobianCovariance();
            case "naswot" -> new Naswot();
            case "params" -> new CostProxy(true);
            case "flops" -> new CostProxy(false);
            default -> throw new IllegalArgumentException("unknown zero-cost proxy '" + name + "'; known: "
                    + String.join(", ", NAMES));
        };
    }

    /** The proxies called {@code names}, each once, in the given order. */
    public static List<ZeroCostProxy> named(List<String> names, NetworkFactory synflowNetworks) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("proxies must name at least one proxy, but was empty; known: "
                    + String.join(", ", NAMES));
        }
        List<ZeroCostProxy> out = new ArrayList<>();
        for (String n : names) {
            if (names.indexOf(n) != names.lastIndexOf(n)) {
                throw new IllegalArgumentException("proxies must name each proxy once, but named '" + n + "' twice");
            }
            out.add(named(n, synflowNetworks));
        }
        return out;
    }
}
