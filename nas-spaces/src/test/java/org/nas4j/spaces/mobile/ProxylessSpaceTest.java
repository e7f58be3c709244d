package org.nas4j.spaces.mobile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.builder.ComposedSpace;

/** The ProxylessNAS space: its layers, where a layer may be skipped, the published networks' counts. */
class ProxylessSpaceTest {

    @Test
    void imagenetSpaceHas21LayersAndZeroOnlyWhereTheBlockHasAShortcut() {
        ComposedSpace space = ProxylessSpace.imagenet();
        List<Choice> choices = space.choices();
        assertEquals(21, choices.size());
        // the first layer of each stage changes stride or width: no zero; the stride-1 96-wide stage's first
        // layer changes the width (80 -> 96), and the last stage (320) too
        List<Integer> withoutZero = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            assertEquals("layer" + (i + 1), c.name());
            assertEquals(ProxylessSpace.CANDIDATES, c.options().subList(0, 6));
            if (c.size() == 6) {
                withoutZero.add(i + 1);
            } else {
                assertEquals(List.of(ProxylessSpace.ZERO), c.options().subList(6, 7));
            }
        }
        assertEquals(List.of(1, 5, 9, 13, 17, 21), withoutZero);
        assertEquals(3 * 224 * 224, space.inputShape().size());
        assertEquals(1000, space.classes());
    }

    @Test
    void publishedNetworksHaveTheReferenceCounts() {
        // osmr/imgclsmob asserts the parameter counts of its transcription of the reference's .config files;
        // the reference's logs print "Total FLOPs: 465.3M / 439.2M / 320.4M" and "7.12M / 4.36M / 4.08M" params
        assertEquals(7_119_848, ProxylessNets.byName("proxyless-gpu").parameters());
        assertEquals(465_260_160, ProxylessNets.byName("proxyless-gpu").multiplyAdds());
        assertEquals(4_361_648, ProxylessNets.byName("proxyless-cpu").parameters());
        assertEquals(439_243_864, ProxylessNets.byName("proxyless-cpu").multiplyAdds());
        assertEquals(4_080_512, ProxylessNets.byName("Proxyless-Mobile").parameters());
        assertEquals(320_427_584, ProxylessNets.byName("proxyless-mobile").multiplyAdds());
    }

    @Test
    void classesAndResolutionChangeOnlyTheClassifierAndTheMaps() {
        PublishedNetwork mobile = ProxylessNets.byName("proxyless-mobile");
        PublishedNetwork ten = ProxylessNets.byName("proxyless-mobile", 10, 224);
        assertEquals(mobile.parameters() - 990L * 1281, ten.parameters());
        PublishedNetwork small = ProxylessNets.byName("proxyless-mobile", 1000, 112);
        assertEquals(mobile.parameters(), small.parameters());
        assertTrue(small.multiplyAdds() < mobile.multiplyAdds() / 3, small.multiplyAdds() + "");
    }

    @Test
    void publishedMobileNetworkIsAMemberOfTheImagenetSpaceWidthsAside() {
        // proxyless-mobile's text form parses in a space of its widths and round-trips
        PublishedNetwork mobile = ProxylessNets.byName("proxyless-mobile");
        String text = mobile.space().format(mobile.architecture());
        assertTrue(text.startsWith("layer1=mbconv_5x5_e3; layer2=mbconv_3x3_e3; layer3=zero; layer4=zero"), text);
        assertEquals(mobile.architecture(), mobile.space().parse(text));
        assertTrue(mobile.space().isValid(mobile.architecture()));
    }

    @Test
    void samplingMutationAndTextFormStayInTheSpace() {
        ComposedSpace space = ProxylessSpace.imagenet();
        RandomGenerator rng = new SplittableRandom(7);
        for (int i = 0; i < 20; i++) {
            Architecture a = space.sample(rng);
            assertTrue(space.isValid(a));
            assertEquals(a, space.parse(space.format(a)));
            Architecture m = space.mutate(a, rng);
            assertTrue(space.isValid(m));
            assertNotEquals(a, m);
        }
    }

    @Test
    void skippingALayerRemovesExactlyItsBlocksParameters() {
        ComposedSpace space = ProxylessSpace.imagenet();
        Architecture a = space.sample(new SplittableRandom(3));
        int layer2 = 1;
        Architecture skipped = a.with(layer2, 6);
        assertEquals("zero", skipped.option("layer2"));
        assertEquals(space.parameters(a) - space.catalogue().spec(a.option("layer2")).parameters(24, 24, 1),
                space.parameters(skipped));
    }

    @Test
    void smallSpaceFitsTwentyEightAndThirtyTwoPixelInputs() {
        ComposedSpace mnist = ProxylessSpace.small().build();
        assertEquals(7, mnist.choices().size());
        assertEquals(10, mnist.classes());
        ComposedSpace cifar = ProxylessSpace.small().input(3, 32, 32).build();
        Architecture largest = Architecture.of(cifar, 5, 5, 5, 5, 5, 5, 5);
        assertEquals("mbconv_7x7_e6", largest.option("layer7"));
        assertEquals(115_562, cifar.parameters(largest));
        assertEquals(10_369_536, cifar.multiplyAdds(largest));
        assertEquals(47_522, mnist.parameters(Architecture.of(mnist, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(3, mnist.choices().stream().filter(c -> c.options().contains("zero")).count());
    }

    @Test
    void badSizesAreNamed() {
        assertEquals("stage stride must be 1 or 2, but was 3", assertThrows(IllegalArgumentException.class,
                () -> new ProxylessSpace.Stage(16, 2, 3)).getMessage());
        assertEquals("classes must be >= 2, but was 1", assertThrows(IllegalArgumentException.class,
                () -> ProxylessSpace.builder().classes(1)).getMessage());
        assertEquals("firstConv stride must be 1 or 2, but was 4", assertThrows(IllegalArgumentException.class,
                () -> ProxylessSpace.builder().firstConv(32, 4)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProxylessNets.byName("proxyless-tpu"))
                .getMessage().contains("unknown ProxylessNAS network 'proxyless-tpu'; known: [proxyless-gpu"));
    }
}
