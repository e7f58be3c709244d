package org.nas4j.spaces.mobile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;

/** The SPOS space: 20 choice layers with channel scales, the searched network's reference counts. */
class SposSpaceTest {

    @Test
    void imagenetSpaceHas20BlockChoicesAnd20ScaleChoices() {
        ComposedSpace space = SposSpace.imagenet();
        assertEquals(40, space.choices().size());
        assertEquals(20, space.choices().stream().filter(c -> c.name().startsWith("layer")).count());
        assertEquals(4, space.choices().stream().filter(c -> c.name().equals("layer20")).findFirst().orElseThrow()
                .size());
        assertEquals(8, space.choices().stream().filter(c -> c.name().equals("scale7")).findFirst().orElseThrow()
                .size());
        assertEquals(20, SposSpace.builder().channelSearch(false).build().choices().size());
    }

    @Test
    void searchedNetworkHasTheReferenceCounts() {
        // OneShot/README.md of megvii-model/ShuffleNet-Series: 328M FLOPs, 3.4M parameters
        PublishedNetwork spos = SposNets.searched(1000, 224);
        assertEquals(3_432_579, spos.parameters());
        assertEquals(327_857_920, spos.multiplyAdds());
        String text = spos.space().format(spos.architecture());
        assertTrue(text.startsWith("scale1=1.4; scale2=1.2; scale3=0.8; "), text);
        assertTrue(text.contains("; layer1=shuffle_3x3_c{scale1}; layer2=shuffle_3x3_c{scale2};"
                + " layer3=shuffle_xception_c{scale3}; "), text);
        assertEquals("shuffle_xception_c{scale3}", spos.architecture().option("layer3"));
    }

    @Test
    void scaleOneIsTheBlockSearchNetwork() {
        ComposedSpace blocks = SposSpace.builder().channelSearch(false).build();
        Architecture a = Architecture.of(blocks, 0, 0, 3, 1, 1, 1, 0, 0, 2, 0, 2, 1, 1, 0, 2, 0, 2, 1, 3, 2);
        assertEquals("shuffle_xception_c1.0", a.option("layer3"));
        assertEquals(3_345_088, blocks.parameters(a));
        assertEquals(318_729_024, blocks.multiplyAdds(a));
    }

    @Test
    void samplingMutationAndTextStayInTheSpace() {
        ComposedSpace space = SposSpace.small().build();
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 10; i++) {
            Architecture a = space.sample(rng);
            assertEquals(a, space.parse(space.format(a)));
            assertTrue(space.isValid(space.mutate(a, rng)));
        }
        assertEquals(12, space.choices().size());
    }

    @Test
    void badSizesAreNamed() {
        assertEquals("stage width must be even and >= 2, but was 15", assertThrows(IllegalArgumentException.class,
                () -> new SposSpace.Stage(15, 2)).getMessage());
        assertEquals("classes must be >= 2, but was 0", assertThrows(IllegalArgumentException.class,
                () -> SposSpace.builder().classes(0)).getMessage());
    }
}
