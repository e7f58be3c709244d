package org.nas4j.estimators.network;

import java.util.OptionalLong;
import org.nas4j.core.space.Architecture;

/**
 * A space's macro skeleton: builds the stand-alone network of one of its architectures around the cells that
 * {@link org.nas4j.core.space.SearchSpace#cells} gives, with {@link GraphCell}s and {@link Modules}.
 */
public interface NetworkFactory {

    /**
     * Builds the network.
     *
     * @param architecture an architecture of the factory's space
     * @param seed         seed of the initial weights
     * @return a network with sealed parameters
     */
    TrainableNetwork build(Architecture architecture, long seed);

    /** Multiply-adds of one forward pass of one image, from the space's cost model, if it has one. */
    default OptionalLong multiplyAdds(Architecture architecture) {
        return OptionalLong.empty();
    }
}
