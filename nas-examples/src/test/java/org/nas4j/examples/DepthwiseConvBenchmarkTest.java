package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Smoke test: the depthwise op benchmark runs at a tiny size, both sides, and names its shapes as the peer. */
class DepthwiseConvBenchmarkTest {

    @Test
    void printsOneLinePerShapeDirectionAndSide() throws Exception {
        String out = capture("--batch", "1", "--rounds", "1", "--reps", "1", "--threads", "1", "--nd4j",
                "--shapes", "sep3_c64_8_s1,dil5_c32_16_s2");
        for (String side : new String[] {"nas4j", "nd4j"}) {
            for (String shape : new String[] {"sep3_c64_8_s1", "dil5_c32_16_s2"}) {
                for (String dir : new String[] {"fwd", "bwd"}) {
                    assertTrue(Pattern.compile("(?m)^RESULT " + side + "_dw_" + shape + "_" + dir
                            + " median=[0-9.]+ min=[0-9.]+ max=[0-9.]+ n=1$").matcher(out).find(), out);
                }
            }
        }
    }

    @Test
    void hasTheShapesOfTheTorchPeer() {
        // 4 ops x (3 stride-1 stages + 2 stride-2 stages), then 7 ProxylessNAS and 6 SPOS chain shapes, as
        // bench/torch_depthwise.py
        assertEquals(33, DepthwiseConvBenchmark.SHAPES.size());
        assertEquals(7, DepthwiseConvBenchmark.SHAPES.stream().filter(s -> s.name().startsWith("pxl")).count());
        assertEquals(6, DepthwiseConvBenchmark.SHAPES.stream().filter(s -> s.name().startsWith("spos")).count());
        assertEquals("spos3_c89_4_s1", DepthwiseConvBenchmark.SHAPES.get(32).name());
        assertEquals("sep3_c16_32_s1", DepthwiseConvBenchmark.SHAPES.get(0).name());
        assertEquals(4, DepthwiseConvBenchmark.SHAPES.stream().filter(s -> s.name().equals("dil5_c64_8_s1")
                || s.name().startsWith("dil5_c16") || s.name().equals("dil5_c32_16_s1")).count());
    }

    @Test
    void refusesAnUnknownShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> capture("--shapes", "sep7_c16_32_s1"));
        assertTrue(e.getMessage().contains("sep7_c16_32_s1"), e.getMessage());
    }

    private static String capture(String... args) throws Exception {
        return StandardOutput.of(() -> DepthwiseConvBenchmark.main(args));
    }
}
