package org.nas4j.spaces.mobile;

import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;

/**
 * A published searched network: the space that holds it (with the network's own widths) and its architecture in
 * that space. Immutable.
 *
 * <pre>{@code
 * PublishedNetwork gpu = ProxylessNets.byName("proxyless-gpu");
 * gpu.parameters();     // 7119848
 * gpu.multiplyAdds();   // 465260160
 * }</pre>
 *
 * @param name         the network's name, e.g. {@code proxyless-gpu}
 * @param space        a space of which {@code architecture} is a member
 * @param architecture the network
 */
public record PublishedNetwork(String name, ComposedSpace space, Architecture architecture) {
    public PublishedNetwork {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** Trainable parameters, from the op catalogue's formulas. */
    public long parameters() {
        return space.parameters(architecture);
    }

    /** Multiply-adds of one inference pass. */
    public long multiplyAdds() {
        return space.multiplyAdds(architecture);
    }
}
