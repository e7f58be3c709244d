package org.nas4j.estimators.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KernelScratchTest {
    @Test
    void aSlotKeepsItsArrayAndGrowsOnlyWhenAsked() throws InterruptedException {
        // on a new thread: this thread's slots may hold larger arrays from kernels that ran before in this JVM
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread fresh = new Thread(() -> {
            try {
                KernelScratch s = KernelScratch.ofThisThread();
                float[] first = s.floats(7, 100);
                assertSame(first, s.floats(7, 50), "a smaller request reuses the array");
                float[] grown = s.floats(7, 200);
                assertTrue(grown.length >= 200);
                assertNotSame(first, grown);
                assertNotSame(s.floats(8, 10), s.floats(7, 10), "slots are distinct");
                assertNotSame(s.doubles(7, 10), (Object) s.floats(7, 10));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        fresh.start();
        fresh.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void zeroedSlotsAreZeroOverTheRequestedLength() {
        KernelScratch s = KernelScratch.ofThisThread();
        java.util.Arrays.fill(s.floats(3, 64), 5f);
        float[] f = s.zeroFloats(3, 32);
        for (int i = 0; i < 32; i++) {
            assertEquals(0f, f[i]);
        }
        java.util.Arrays.fill(s.doubles(3, 64), 5.0);
        double[] d = s.zeroDoubles(3, 64);
        // The slot may hold a longer array (an earlier kernel on this thread asked for more): only the requested
        // length is promised zero.
        for (int i = 0; i < 64; i++) {
            assertEquals(0.0, d[i]);
        }
    }

    @Test
    void eachThreadHasItsOwnArrays() throws InterruptedException {
        float[] mine = KernelScratch.ofThisThread().floats(0, 16);
        AtomicReference<float[]> theirs = new AtomicReference<>();
        Thread t = new Thread(() -> theirs.set(KernelScratch.ofThisThread().floats(0, 16)));
        t.start();
        t.join();
        assertNotSame(mine, theirs.get());
    }
}
