package org.nas4j.estimators.network;

import org.nas4j.core.space.builder.CellTemplate;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.spaces.darts.DartsDefinition;
import org.nas4j.spaces.darts.DartsSpace;

/** Small DARTS search skeletons for tests: {@link DartsDefinition#cifar}'s network on small inputs. */
final class DartsSearchSpaces {

    private DartsSearchSpaces() {
    }

    /**
     * The CIFAR search network of {@code space}'s cells (stem to 3C, {@code layers} cells, those at {@code layers/3}
     * and {@code 2*layers/3} reducing and doubling C, global pooling and a linear classifier) on {@code
     * inputChannels x size x size} images and {@code classes} classes.
     */
    static ComposedSpace search(DartsSpace space, int inputChannels, int size, int classes, int channels,
            int layers) {
        CellTemplate normal = DartsDefinition.cell(space, false);
        CellTemplate reduce = DartsDefinition.cell(space, true);
        SpaceBuilder b = SpaceBuilder.create(space.name()).input(inputChannels, size, size).classes(classes)
                .layer("stem", "conv_bn_3x3", Width.of(3 * channels));
        int c = channels;
        for (int i = 0; i < layers; i++) {
            boolean reduces = i == layers / 3 || i == 2 * layers / 3;
            if (reduces) {
                c *= 2;
            }
            b.cell(reduces ? reduce : normal, Width.of(c));
        }
        return b.head("pool_linear").build();
    }
}
