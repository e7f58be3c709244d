package org.nas4j.examples;

import java.util.Locale;
import java.util.function.Supplier;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.mobile.ProxylessSpace;
import org.nas4j.spaces.mobile.SposSpace;

/**
 * The two small mobile chains of docs/spaces/mobile.md that {@link ChainEpochBenchmark} trains, each with the
 * architecture the benchmark uses unless told otherwise: the small ProxylessNAS space ({@link ProxylessSpace#small()},
 * 1x28x28, 10 classes) and the small SPOS space ({@link SposSpace#small()}, with the channel search).
 */
enum MobileChain {
    /**
     * ProxylessNAS' MobileNetV2 chain; default architecture: every kernel and both expansions, one skipped layer
     * (73,730 parameters).
     */
    PROXYLESS("proxyless", () -> ProxylessSpace.small().build(),
            "layer1=mbconv_5x5_e3; layer2=mbconv_3x3_e3; layer3=mbconv_7x7_e6; layer4=zero; layer5=mbconv_5x5_e6; "
                    + "layer6=mbconv_3x3_e3; layer7=mbconv_7x7_e6"),
    /**
     * SPOS' ShuffleNetV2 chain; default architecture: the four blocks at scales 0.2 to 1.6, both strides
     * (68,035 parameters).
     */
    SPOS("spos", () -> SposSpace.small().build(),
            "scale1=1.0; scale2=0.6; scale3=1.6; scale4=1.0; scale5=0.2; scale6=1.4; layer1=shuffle_3x3_c{scale1}; "
                    + "layer2=shuffle_xception_c{scale2}; layer3=shuffle_5x5_c{scale3}; layer4=shuffle_7x7_c{scale4}; "
                    + "layer5=shuffle_3x3_c{scale5}; layer6=shuffle_3x3_c{scale6}");

    private static final String RANDOM = "random:";

    private final String label;
    private final Supplier<ComposedSpace> space;
    private final String defaultArchitecture;

    MobileChain(String label, Supplier<ComposedSpace> space, String defaultArchitecture) {
        this.label = label;
        this.space = space;
        this.defaultArchitecture = defaultArchitecture;
    }

    /** The chain called {@code name} ({@code proxyless} or {@code spos}); an exception naming {@code --chain}. */
    static MobileChain named(String name) {
        for (MobileChain c : values()) {
            if (c.label.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--chain must be proxyless or spos, but was '" + name + "'");
    }

    /** The name on the command line and in the result lines. */
    String label() {
        return label;
    }

    /** The chain's space (a fresh one). */
    ComposedSpace space() {
        return space.get();
    }

    /** The architecture the benchmark trains when {@code --arch} is not given, in the space's text form. */
    String defaultArchitecture() {
        return defaultArchitecture;
    }

    /**
     * The architecture {@code text} names: the empty string for {@link #defaultArchitecture()},
     * {@code random:<seed>} for one drawn from the space with that seed, else the space's text form
     * ({@code ComposedSpace.format}). Malformed text gets an exception naming {@code --arch}.
     */
    Architecture architecture(String text) {
        ComposedSpace s = space();
        if (text.isBlank()) {
            return s.parse(defaultArchitecture);
        }
        if (text.startsWith(RANDOM)) {
            String seed = text.substring(RANDOM.length());
            try {
                return s.sample(new SplitMix64(Long.parseLong(seed.trim())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--arch random:<seed> needs an integer seed, but was '" + text + "'",
                        e);
            }
        }
        try {
            return s.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--arch must be 'random:<seed>' or an architecture of %s in its text form (e.g. '%s'), but was"
                            + " '%s': %s", s.name(), defaultArchitecture, text, e.getMessage()), e);
        }
    }
}
