package org.nas4j.examples;

import org.nas4j.spaces.darts.DartsCostModel;
import org.nas4j.spaces.darts.Genotype;
import picocli.CommandLine.Option;

/**
 * The options that size the DARTS evaluation network of a genotype, shared by {@code nas4j genotype} and {@code
 * nas4j architecture} (a picocli mixin). Unset sizes are the network's own: 36 channels and 20 cells on CIFAR-10,
 * 48 and 14 on ImageNet.
 */
final class GenotypeNetworkOptions {
    @Option(names = "--channels", description = "DARTS genotypes: initial channels; default the network's own "
            + "(36 CIFAR, 48 ImageNet)")
    Integer channels;

    @Option(names = "--layers", description = "DARTS genotypes: cells; default the network's own (20 CIFAR, "
            + "14 ImageNet)")
    Integer layers;

    @Option(names = "--auxiliary", description = "DARTS genotypes: count the auxiliary head's parameters too")
    boolean auxiliary;

    @Option(names = "--imagenet", description = "DARTS genotypes: the ImageNet network (default: CIFAR-10)")
    boolean imagenet;

    /** The first of these options given on the command line, or null when none was. */
    String firstGiven() {
        return channels != null ? "--channels" : layers != null ? "--layers" : auxiliary ? "--auxiliary"
                : imagenet ? "--imagenet" : null;
    }

    /** The cost model of {@code genotype}'s network sized by these options (its auxiliary head as asked). */
    DartsCostModel.Builder costModel(Genotype genotype) {
        DartsCostModel.Builder b = imagenet ? DartsCostModel.imagenet(genotype) : DartsCostModel.cifar(genotype);
        if (channels != null) {
            b.channels(channels);
        }
        if (layers != null) {
            b.layers(layers);
        }
        return b.auxiliary(auxiliary);
    }
}
