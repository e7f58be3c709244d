package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapCollectionTest {
    private static final int MIB = 1 << 20;
    private static final int BLOCKS_PER_MIB = 16;

    @Test
    void theRatiosOfTheJvmAreRestoredAfterTheCollection() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();

        HeapCollection.collect();
        HeapCollection.collect();

        assertEquals(min, vm.getVMOption("MinHeapFreeRatio").getValue());
        assertEquals(max, vm.getVMOption("MaxHeapFreeRatio").getValue());
    }

    @Test
    void aRatioSetOnTheCommandLineWins() throws Exception {
        assertTrue(HeapCollection.tightensRatios(), "this JVM runs with the default ratios");
        assertEquals("false", runChild("-XX:MaxHeapFreeRatio=50"));
        assertEquals("false", runChild("-XX:MinHeapFreeRatio=20"));
        assertEquals("true", runChild("-Xmx64m"));
    }

    /** What {@link HeapCollection#tightensRatios()} says in a child JVM started with {@code option}. */
    private static String runChild(String option) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), option, "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    /** The child: prints whether the collection would tighten the ratios. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println(HeapCollection.tightensRatios());
        }
    }

    /**
     * 64 MiB stay live while 384 MiB of garbage grow the heap. After the collection G1 aims at a committed heap of
     * used / (1 - {@link HeapCollection#MAX_FREE_PERCENT}%), 1.43 times the used heap, and keeps a few regions more
     * (measured: 120 MiB committed for 74 MiB used); under the JVM's default ratio (70% free) it would keep 3.3
     * times the used heap. The limit, twice the used heap (50% free), lies between the two.
     */
    @Test
    void theCommittedHeapShrinksToTheLiveDataWithTheTightRatio() {
        assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .anyMatch(n -> n.startsWith("G1")), "the shrinking rule checked is G1's");
        List<byte[]> live = fill(64);
        List<byte[]> garbage = fill(384);
        garbage.clear();

        HeapCollection.collect();

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        double limit = 2.0 * heap.getUsed();
        assertTrue(heap.getCommitted() <= limit, "committed " + heap.getCommitted() / MIB + " MiB for "
                + heap.getUsed() / MIB + " MiB used, limit " + (long) limit / MIB + " MiB");
        assertEquals(64 * BLOCKS_PER_MIB, live.size());
    }

    private static List<byte[]> fill(int mebibytes) {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < mebibytes * BLOCKS_PER_MIB; i++) { // small blocks: no humongous regions
            byte[] block = new byte[MIB / BLOCKS_PER_MIB];
            block[i % block.length] = 1;
            blocks.add(block);
        }
        return blocks;
    }
}
