package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;

/**
 * The chain epoch benchmark at a tiny size (8 images, batch 4: two steps an epoch): its output lines, the parameter
 * counts of the default networks against counts made by hand, its refusals, and, where {@code /usr/bin/python3}
 * has PyTorch, that {@code bench/torch_chain_epoch.py} builds networks of the same size.
 */
class ChainEpochBenchmarkTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path TORCH_SCRIPT = Path.of("..", "bench", "torch_chain_epoch.py");

    /**
     * The default architectures' parameter counts, by hand (convolutions without bias, 2 per batch-norm channel).
     *
     * <p>ProxylessNAS, 73,730: first conv 1*16*9 + 32 = 176; first block (3x3 e1, 16 -> 8) 16*9 + 32 + 16*8 + 16 =
     * 320; MBConv {@code in -> out}, hidden {@code h = e * in}: {@code in*h + 2h + h*k*k + 2h + h*out + 2*out}:
     * layer1 5x5 e3 8 -> 16: 192 + 48 + 600 + 48 + 384 + 32 = 1,304; layer2 3x3 e3 16 -> 16: 768 + 96 + 432 + 96 +
     * 768 + 32 = 2,192; layer3 7x7 e6 16 -> 24: 1,536 + 192 + 4,704 + 192 + 2,304 + 48 = 8,976; layer4 zero: 0;
     * layer5 5x5 e6 24 -> 32: 3,456 + 288 + 3,600 + 288 + 4,608 + 64 = 12,304; layer6 3x3 e3 32 -> 32: 3,072 + 192 +
     * 864 + 192 + 3,072 + 64 = 7,456; layer7 7x7 e6 32 -> 48: 6,144 + 384 + 9,408 + 384 + 9,216 + 96 = 25,632;
     * feature mix 48*256 + 512 = 12,800; classifier 256*10 + 10 = 2,570.
     *
     * <p>SPOS, 68,035: first conv 176; {@code mid = (int) ((out / 2) * scale)}; a 1x1 {@code a -> b} with BN is
     * {@code a*b + 2b}, a depthwise k x k on {@code c} with BN {@code c*k*k + 2c}. layer1 (3x3, 1.0, 16 -> 32,
     * stride 2, mid 16): main 288 + 176 + 288, projection 176 + 288: 1,216; layer2 (Xception, 0.6, 32 -> 32, mid 9,
     * branch 16 -> 16): 176 + 162 + 99 + 99 + 99 + 176 = 811; layer3 (5x5, 1.6, 32 -> 64, stride 2, mid 51): main
     * 1,734 + 1,377 + 1,696, projection 864 + 1,088: 6,759; layer4 (7x7, 1.0, 64 -> 64, mid 32, branch 32 -> 32):
     * 1,088 + 1,632 + 1,088 = 3,808; layer5 (3x3, 0.2, 64 -> 128, stride 2, mid 12): main 792 + 132 + 896,
     * projection 704 + 4,224: 6,748; layer6 (3x3, 1.4, 128 -> 128, mid 89, branch 64 -> 64): 5,874 + 979 + 5,824 =
     * 12,677; last conv 128*256 + 512 = 33,280; classifier without bias 2,560.
     */
    @ParameterizedTest
    @CsvSource({"proxyless, 73730", "spos, 68035"})
    void printsTheArchitectureParametersResultAndPeakMemory(String chain, long parameters) throws Exception {
        String out = tinyRun("--chain", chain, "--epochs", "2");
        assertEquals(parameters, Long.parseLong(line(out, "PARAMS")), out);
        assertEquals(MobileChain.named(chain).defaultArchitecture(), line(out, "ARCH"), out);
        assertTrue(Pattern.compile("(?m)^RESULT nas4j_chain_" + chain
                + "_epoch median=[0-9]+\\.[0-9]{3} min=[0-9]+\\.[0-9]{3} max=[0-9]+\\.[0-9]{3} n=2$").matcher(out)
                .find(), out);
        assertTrue(Pattern.compile("(?m)^PEAK_RSS_MIB [0-9]+$").matcher(out).find(), out);
        assertTrue(Pattern.compile("8 images, batch 4, 2 steps per epoch, mean loss of the last epoch [0-9]+\\.[0-9]+")
                .matcher(out).find(), "a finite loss: " + out);
    }

    @Test
    void aRandomArchitectureIsTheSeedsSampleAndItsTextParsesBack() throws Exception {
        String out = tinyRun("--chain", "spos", "--arch", "random:7", "--epochs", "1");
        MobileChain chain = MobileChain.SPOS;
        Architecture drawn = chain.architecture("random:7");
        assertEquals(drawn.space().format(drawn), line(out, "ARCH"));
        assertEquals(drawn, chain.architecture(line(out, "ARCH")));
        assertEquals(((ComposedSpace) drawn.space()).parameters(drawn),
                Long.parseLong(line(out, "PARAMS")));
        assertTrue(out.contains("n=1"), out);
    }

    @Test
    void refusesBadArgumentsNamingTheOption() {
        assertRefused("--chain", "--chain", "mobilenet");
        assertRefused("--arch", "--arch", "layer1=mbconv_9x9_e3");
        assertRefused("--arch", "--arch", "random:x");
        assertRefused("--batch", "--batch", "1");
        assertRefused("--epochs", "--epochs", "0");
        assertRefused("--warmup", "--warmup", "-1");
        assertRefused("--lr", "--lr", "0");
        assertRefused("--momentum", "--momentum", "1");
        assertRefused("--weight-decay", "--weight-decay", "-0.1");
        assertRefused("--samples", "--samples", "3", "--batch", "4");
        assertRefused("--samples", "--samples", "10001");
        assertRefused("--seed", "--seed", "one");
        assertRefused("--threads", "--threads", "0x");
        assertRefused("--rounds", "--rounds", "3");
        assertRefused("only options", "proxyless");
    }

    /**
     * Where {@code /usr/bin/python3} has PyTorch: the peer script builds, from the architecture text nas4j prints,
     * a network with nas4j's parameter count, for the defaults and sampled architectures of both chains.
     */
    @Test
    void thePyTorchPeerBuildsNetworksOfTheSameSize() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && Files.isRegularFile(TORCH_SCRIPT), "no " + PYTHON + " or script");
        assumeTrue(run(List.of(PYTHON.toString(), "-c", "import torch")).exitCode == 0, "no PyTorch");
        for (MobileChain chain : MobileChain.values()) {
            for (String arch : List.of("", "random:1", "random:2", "random:3")) {
                Architecture a = chain.architecture(arch);
                String text = a.space().format(a);
                long expected = ((ComposedSpace) a.space()).parameters(a);
                Result r = run(List.of(PYTHON.toString(), TORCH_SCRIPT.toString(), "--chain", chain.label(), "--arch",
                        text, "--samples", "4", "--batch", "2", "--warmup", "0", "--threads", "1"));
                assertEquals(0, r.exitCode, r.output);
                assertEquals(expected, Long.parseLong(line(r.output, "PARAMS")), chain + " " + text + "\n" + r.output);
                assertTrue(Pattern.compile("(?m)^RESULT torch_chain_" + chain.label()
                        + "_epoch median=[0-9.]+ min=[0-9.]+ max=[0-9.]+ n=1$").matcher(r.output).find(), r.output);
            }
        }
    }

    private static String tinyRun(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--samples", "8", "--batch", "4", "--warmup",
                "1", "--threads", "1"));
        args.addAll(List.of(extra));
        return StandardOutput.of(() -> ChainEpochBenchmark.main(args.toArray(String[]::new)));
    }

    private static void assertRefused(String named, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardOutput.of(() -> ChainEpochBenchmark.main(args)), String.join(" ", args));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    private static String line(String out, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + " (.*)$").matcher(out);
        assertTrue(m.find(), "no " + key + " line in\n" + out);
        return m.group(1).trim();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }
}
