package org.nas4j.estimators.network;

import java.util.OptionalLong;
import org.nas4j.core.config.Configuration;
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

    /**
     * Every setting that shapes the networks built (sizes, options, data type), with the space's configuration:
     * it goes into the journal header of a search that trains with this factory, so that a resume with another
     * network is refused naming the setting. Two factories that may build different networks must have different
     * configurations.
     */
    Configuration configuration();

    /** Multiply-adds of one forward pass of one image, from the space's cost model, if it has one. */
    default OptionalLong multiplyAdds(Architecture architecture) {
        return OptionalLong.empty();
    }
}
