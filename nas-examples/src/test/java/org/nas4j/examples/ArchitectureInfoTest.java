package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchitectureInfoTest {

    private static String[] run(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ArchitectureInfo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void printsTheProxylessNetworksCounts() {
        assertTrue(run(0, "proxyless-gpu")[0].startsWith("params=7119848 flops=465260160\n"));
        assertTrue(run(0, "proxyless-cpu")[0].startsWith("params=4361648 flops=439243864\n"));
        String mobile = run(0, "proxyless-mobile")[0];
        assertTrue(mobile.startsWith("params=4080512 flops=320427584\n"), mobile);
        assertTrue(mobile.contains("  layer3: zero 32x56x56 -> 32x56x56 stride 1 params=0 flops=0"), mobile);
        assertTrue(mobile.contains("  first_conv: conv_bn_relu6_3x3 3x224x224 -> 32x112x112 stride 2"), mobile);
    }

    @Test
    void printsTheSposNetworksCounts() {
        String spos = run(0, "spos")[0];
        assertTrue(spos.startsWith("params=3432579 flops=327857920\n"), spos);
        assertTrue(spos.contains("  layer3: shuffle_xception_c0.8 64x56x56 -> 64x56x56 stride 1"), spos);
    }

    @Test
    void printsTheEnasMacroNetworksCounts() {
        // the fixed-arc child of cifar10_macro_final.sh, counted by hand in nas-spaces' EnasMacroSpaceTest
        String enas = run(0, "enas-macro")[0];
        assertTrue(enas.startsWith("params=42559392 flops=5646094080\n"), enas);
        assertTrue(enas.contains("  layer23: enas_relu_conv_1x1~"), enas);
    }

    @Test
    void printsTheEnasMicroNetworksCounts() {
        // the fixed-arc child of cifar10_micro_final.sh, counted by hand in nas-spaces' EnasMicroSpaceTest
        String enas = run(0, "enas-micro")[0];
        assertTrue(enas.startsWith("params=3894372 flops=620907552\n"), enas);
    }

    @Test
    void classesAndResolutionApply() {
        String ten = run(0, "proxyless-mobile", "--classes", "10", "--resolution", "32")[0];
        assertTrue(ten.contains("network: proxyless-mobile classes=10 input=3x32x32"), ten);
        assertTrue(ten.startsWith("params=" + (4080512 - 990L * 1281) + " "), ten);
    }

    @Test
    void dartsGenotypesKeepGenotypeInfosCountsAndOptions() {
        assertTrue(run(0, "DARTS_V2")[0].startsWith("params=3349342 flops=528359040\n"));
        assertTrue(run(0, "DARTS_V2", "--auxiliary")[0].startsWith("params=3825768 "));
        assertTrue(run(0, "DARTS_V2", "--imagenet")[0].startsWith("params=4718752 flops=529911552"));
        String hundred = run(0, "DARTS_V2", "--classes", "100")[0];
        assertTrue(hundred.contains("classes=100"), hundred);
    }

    @Test
    void badArgumentsExitWithUsage() {
        String err = run(2, "proxyless-tpu")[1];
        assertTrue(err.contains("unknown architecture 'proxyless-tpu'"), err);
        assertTrue(err.contains("names: [proxyless-gpu, proxyless-cpu, proxyless-mobile, spos, "), err);
        assertTrue(run(2, "proxyless-gpu", "--channels", "16")[1]
                .contains("--channels applies to DARTS genotypes only, not to 'proxyless-gpu'"));
        assertTrue(run(2, "proxyless-gpu", "--classes", "x")[1]
                .contains("Invalid value for option '--classes': 'x' is not an int"));
        String missing = run(2)[1];
        assertTrue(missing.contains("Missing required parameter: 'NAME'"), missing);
        assertTrue(missing.contains("Usage: architecture [-hV] [--auxiliary] [--imagenet]"), missing);
    }

    @Test
    void recurrentCellsPrintTheirLanguageModelAtThePtbSizes() {
        // encoder 10000 x 850 + W0 1700 x 1700 + 8 x 850 x 1700 + decoder bias 10000 (tied weights)
        String v2 = run(0, "darts-v2-rnn")[0];
        assertTrue(v2.startsWith("params=22960000 flops=22950000\n"), v2);
        assertTrue(v2.contains("('sigmoid', 0)"), v2);
        // 65 x 850 + 2,890,000 + 11,560,000 + 65 parameters; per token W0 1700 x 1700 + 8 x 850 x 1700 + 850 x 65
        assertTrue(run(0, "darts-v1-rnn", "--classes", "65")[0].startsWith("params=14505315 flops=14505250\n"));
        assertTrue(run(2, "enas-rnn", "--resolution", "32")[1].contains("--resolution does not apply"));
    }
}
