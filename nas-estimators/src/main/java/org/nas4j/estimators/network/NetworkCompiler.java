package org.nas4j.estimators.network;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedForm;

/**
 * Compiles architectures of any space into stand-alone networks: a space that has a
 * {@link SearchSpace#composedForm() composed form} (every space made with the space builder, and NAS-Bench-201)
 * with the one {@link SpaceCompiler}; NAS-Bench-101, whose cells (input projections, channel splitting) are not
 * cells of the space builder, with its own cell rules ({@link NasBench101Factory}, the benchmark's configuration).
 * It asks the space for its form and never looks at the space's type; a space with neither needs a
 * {@link NetworkFactory} passed explicitly.
 *
 * <pre>{@code
 * TrainableNetwork net = NetworkCompiler.compile(space.parse("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|..."), 42);
 * }</pre>
 */
public final class NetworkCompiler {

    /** The factories of spaces without a composed form that keep their own cell rules, each empty for other spaces. */
    private static final List<Function<SearchSpace, Optional<NetworkFactory>>> OWN_CELL_RULES =
            List.of(NasBench101Factory::forSpace);

    private NetworkCompiler() {
    }

    /**
     * The {@link SpaceCompiler} of {@code space}'s composed form, or the factory of a space with its own cell rules
     * (NAS-Bench-101); an exception naming the space if it has neither.
     */
    public static NetworkFactory factoryFor(SearchSpace space) {
        Optional<ComposedForm> form = space.composedForm();
        if (form.isPresent()) {
            return new SpaceCompiler(form.get());
        }
        for (Function<SearchSpace, Optional<NetworkFactory>> own : OWN_CELL_RULES) {
            Optional<NetworkFactory> factory = own.apply(space);
            if (factory.isPresent()) {
                return factory.get();
            }
        }
        throw new IllegalArgumentException("space '" + space.name() + "' has no composed form"
                + " (SearchSpace.composedForm() is empty) and no cell rules of its own, so it has no default network"
                + " factory: pass a NetworkFactory (built-in: DartsFactory, which needs the network's channels and"
                + " layers; NasBench101Factory for other NAS-Bench-101 configurations; SpaceCompiler for a space made"
                + " with the SpaceBuilder)");
    }

    /** The network of {@code architecture} with initial weights from {@code seed}. */
    public static TrainableNetwork compile(Architecture architecture, long seed) {
        return factoryFor(architecture.space()).build(architecture, seed);
    }
}
