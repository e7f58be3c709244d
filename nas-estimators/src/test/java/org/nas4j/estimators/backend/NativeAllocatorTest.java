package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void arenasAreOnePerCoreAndAtLeastTwo() {
        assertEquals(2, NativeAllocator.arenaLimit(1));
        assertEquals(2, NativeAllocator.arenaLimit(2));
        assertEquals(16, NativeAllocator.arenaLimit(16));
    }

    @Test
    void tuningHappensOnceAndSaysWhatItDid() {
        String first = NativeAllocator.tune();
        assertSame(first, NativeAllocator.tune());
        boolean userChose = System.getenv().keySet().stream().anyMatch(k -> k.equals("MALLOC_MMAP_THRESHOLD_")
                || k.equals("MALLOC_TRIM_THRESHOLD_") || k.equals("GLIBC_TUNABLES"));
        if (Platform.isLinux() && !userChose) {
            assertTrue(first.startsWith("glibc thresholds raised to 1 GiB"), first);
            boolean arenasChosen = System.getenv().containsKey("MALLOC_ARENA_MAX");
            assertTrue(first.contains(arenasChosen ? "MALLOC_ARENA_MAX" : "arenas"), first);
        } else {
            assertTrue(first.startsWith("left as"), first);
        }
    }
}
