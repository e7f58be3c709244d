package org.nas4j.estimators.network;

import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * Picks the {@link NetworkFactory} of a built-in space, or the {@link SpaceCompiler} of a space made with the
 * space builder, and compiles architectures into stand-alone networks.
 *
 * <pre>{@code
 * TrainableNetwork net = NetworkCompiler.compile(space.parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|..."), 42);
 * }</pre>
 */
public final class NetworkCompiler {

    private NetworkCompiler() {
    }

    /** The factory of {@code space}; an exception naming the space if it has none yet. */
    public static NetworkFactory factoryFor(SearchSpace space) {
        if (space instanceof ComposedSpace composed) {
            return new SpaceCompiler(composed);
        }
        if (space instanceof NasBench201Space nb201) {
            return new NasBench201Factory(nb201);
        }
        if (space instanceof NasBench101Space nb101) {
            return new NasBench101Factory(nb101);
        }
        throw new IllegalArgumentException("no default network factory for space '" + space.name()
                + "': pass a NetworkFactory (built-in: NasBench201Factory, chosen by default for nas-bench-201; "
                + "NasBench101Factory, chosen by default for nas-bench-101 with the benchmark's configuration; "
                + "DartsFactory, which needs the network's channels and layers; SpaceCompiler, chosen by default for "
                + "spaces made with the SpaceBuilder)");
    }

    /** The network of {@code architecture} with initial weights from {@code seed}. */
    public static TrainableNetwork compile(Architecture architecture, long seed) {
        return factoryFor(architecture.space()).build(architecture, seed);
    }
}
