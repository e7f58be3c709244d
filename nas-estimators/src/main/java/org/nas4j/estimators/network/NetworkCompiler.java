package org.nas4j.estimators.network;

import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedForm;

/**
 * Compiles architectures of any space that has a {@link SearchSpace#composedForm() composed form} (every space
 * made with the space builder, and NAS-Bench-201) into stand-alone networks, with the one {@link SpaceCompiler}.
 * It asks the space for its form and never looks at the space's type; a space without one needs a
 * {@link NetworkFactory} passed explicitly.
 *
 * <pre>{@code
 * TrainableNetwork net = NetworkCompiler.compile(space.parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|..."), 42);
 * }</pre>
 */
public final class NetworkCompiler {

    private NetworkCompiler() {
    }

    /** The {@link SpaceCompiler} of {@code space}'s composed form; an exception naming the space if it has none. */
    public static NetworkFactory factoryFor(SearchSpace space) {
        ComposedForm form = space.composedForm().orElseThrow(() -> new IllegalArgumentException(
                "space '" + space.name() + "' has no composed form (SearchSpace.composedForm() is empty), so it has"
                + " no default network factory: pass a NetworkFactory (built-in: NasBench101Factory for"
                + " nas-bench-101; DartsFactory, which needs the network's channels and layers; SpaceCompiler for"
                + " a space made with the SpaceBuilder)"));
        return new SpaceCompiler(form);
    }

    /** The network of {@code architecture} with initial weights from {@code seed}. */
    public static TrainableNetwork compile(Architecture architecture, long seed) {
        return factoryFor(architecture.space()).build(architecture, seed);
    }
}
