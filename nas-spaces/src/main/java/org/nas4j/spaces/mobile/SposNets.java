package org.nas4j.spaces.mobile;

import java.util.List;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.ShuffleOps;

/**
 * The network SPOS published for ImageNet (block and channel search), as the reference defines it
 * (megvii-model/ShuffleNet-Series, {@code OneShot/network.py}): at 1000 classes and 224x224 it has 3,432,579
 * parameters and 327,857,920 multiply-adds (the reference's README: 3.4M, 328M).
 *
 * <pre>{@code
 * PublishedNetwork spos = SposNets.searched(1000, 224);
 * }</pre>
 */
public final class SposNets {

    /** The name {@link #searched} answers to. */
    public static final String NAME = "spos";

    /** The reference's {@code architecture}: 0, 1, 2 = Shuffle 3x3, 5x5, 7x7; 3 = Xception. */
    private static final List<Integer> BLOCKS = List.of(0, 0, 3, 1, 1, 1, 0, 0, 2, 0, 2, 1, 1, 0, 2, 0, 2, 1, 3, 2);
    /** The reference's {@code scale_ids}, indices into {@link ShuffleOps#SCALES}. */
    private static final List<Integer> SCALES = List.of(6, 5, 3, 5, 2, 6, 3, 4, 2, 5, 7, 5, 4, 6, 7, 4, 4, 5, 4, 3);

    private SposNets() {
    }

    /** The searched network for {@code classes} classes and {@code resolution} x {@code resolution} RGB inputs. */
    public static PublishedNetwork searched(int classes, int resolution) {
        ComposedSpace space = SposSpace.builder().input(3, resolution).classes(classes).build();
        List<String> scales = SCALES.stream().map(ShuffleOps.SCALES::get).toList();
        return new PublishedNetwork(NAME, space, SposSpace.architecture(space, BLOCKS, scales));
    }
}
