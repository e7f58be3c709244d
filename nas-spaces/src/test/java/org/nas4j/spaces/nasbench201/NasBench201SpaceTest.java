package org.nas4j.spaces.nasbench201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.space.Architecture;
import org.junit.jupiter.api.Test;

class NasBench201SpaceTest {
    private final NasBench201Space space = NasBench201Space.standard();

    @Test
    void archStringRoundTripsForEveryCell() {
        for (int code = 0; code < 15_625; code++) {
            Architecture a = Architecture.of(space, digits(code));
            assertEquals(a, space.parse(a.toString()));
        }
    }

    @Test
    void exactly6466CellsAreUniqueUpToIsomorphism() {
        Set<String> keys = new HashSet<>();
        for (int code = 0; code < 15_625; code++) {
            keys.add(Architecture.of(space, digits(code)).key());
        }
        assertEquals(6_466, keys.size());
    }

    @Test
    void isomorphicCellsShareAKey() {
        // node 1 unused by the output in both: only the paths to node 3 matter
        Architecture a = space.parse("|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|");
        Architecture b = space.parse("|avg_pool_3x3~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|");
        assertEquals(a.key(), b.key());
        assertNotEquals(a, b);
        // skip then conv equals conv directly
        Architecture c = space.parse("|skip_connect~0|+|none~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|");
        Architecture d = space.parse("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|skip_connect~2|");
        assertEquals(c.key(), d.key());
        Architecture e = space.parse("|none~0|+|nor_conv_1x1~0|none~1|+|none~0|none~1|skip_connect~2|");
        assertNotEquals(c.key(), e.key());
    }

    @Test
    void parameterCountsMatchTheBenchmarkForAllCells() {
        // shared/data/README.md: 0.073306 M + 0.24304 M per nor_conv_3x3 edge + 0.028 M per nor_conv_1x1 edge
        NasBench201CostModel net = space.network();
        for (int code = 0; code < 15_625; code++) {
            int[] v = digits(code);
            int conv3 = 0;
            int conv1 = 0;
            for (int op : v) {
                conv3 += op == NasBench201Space.OPS.indexOf("nor_conv_3x3") ? 1 : 0;
                conv1 += op == NasBench201Space.OPS.indexOf("nor_conv_1x1") ? 1 : 0;
            }
            assertEquals(73_306L + 243_040L * conv3 + 28_000L * conv1, net.parameters(Architecture.of(space, v)));
        }
    }

    @Test
    void parameterCountsOfOtherDatasetsMatchTheBenchmark() {
        // nb201-cost-3archs.csv: arch 0 has 0.135156 MB on CIFAR-100 and 0.136456 MB on ImageNet16-120
        Architecture arch0 = space.parse(
                "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|");
        NasBench201Space cifar100 = NasBench201Space.builder().classes(100).build();
        NasBench201Space imagenet16 = NasBench201Space.builder().classes(120).imageSize(16).build();
        assertEquals(129_306L, space.network().parameters(arch0));
        assertEquals(135_156L, cifar100.network().parameters(cifar100.parse(arch0.toString())));
        assertEquals(136_456L, imagenet16.network().parameters(imagenet16.parse(arch0.toString())));
    }

    @Test
    void multiplyAddsMatchTheBenchmarkFlops() {
        // nb201-cost-3archs.csv, CIFAR-10: FLOPs (M) of archs 0, 11 and 284 as counted by the benchmark
        assertFlops("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
                15.64737);
        assertFlops("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|",
                113.95137);
        assertFlops("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|none~0|nor_conv_1x1~1|none~2|", 11.71521);
    }

    private void assertFlops(String arch, double expectedMillions) {
        double m = space.network().multiplyAdds(space.parse(arch)) / 1e6;
        assertEquals(expectedMillions, m, 1e-5 * expectedMillions, "multiply-adds of " + arch);
    }

    @Test
    void badArchStringsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> space.parse("|conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
        assertTrue(e.getMessage().contains("unknown op 'conv_5x5'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> space.parse("|none~0|+|none~0|none~1|"));
        assertTrue(e.getMessage().contains("must have 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> space.parse("|none~0|+|none~0|none~2|+|none~0|none~1|none~2|"));
        assertTrue(e.getMessage().contains("must be in [0, 2), but was 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NasBench201Space.builder().channels(0));
        assertTrue(e.getMessage().contains("channels must be >= 1, but was 0"), e.getMessage());
    }

    @Test
    void mutationChangesExactlyOneEdge() {
        SplitMix64 rng = new SplitMix64(7);
        Architecture a = space.sample(rng);
        for (int i = 0; i < 200; i++) {
            Architecture b = space.mutate(a, rng);
            int diff = 0;
            for (int k = 0; k < 6; k++) {
                diff += a.index(k) != b.index(k) ? 1 : 0;
            }
            assertEquals(1, diff);
            a = b;
        }
        assertEquals(24, space.neighbours(a).size());
    }

    private static int[] digits(int code) {
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) {
            v[i] = code % 5;
            code /= 5;
        }
        return v;
    }
}
