package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.backend.NativeThreads.Choice;
import org.nas4j.estimators.backend.NativeThreads.Source;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The thread rule (environment, then explicit, then cores per job) and its effect on the native libraries. */
class NativeThreadsTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void defaultDividesTheCoresAmongTheJobs() {
        assertEquals(new Choice(2, Source.DEFAULT), NativeThreads.choose(OptionalInt.empty(), 1, NO_ENV, 2));
        assertEquals(new Choice(1, Source.DEFAULT), NativeThreads.choose(OptionalInt.empty(), 2, NO_ENV, 2));
        assertEquals(new Choice(1, Source.DEFAULT), NativeThreads.choose(OptionalInt.empty(), 8, NO_ENV, 2));
        assertEquals(new Choice(4, Source.DEFAULT), NativeThreads.choose(OptionalInt.empty(), 4, NO_ENV, 16));
    }

    @Test
    void explicitCountBeatsTheDefault() {
        assertEquals(new Choice(3, Source.EXPLICIT), NativeThreads.choose(OptionalInt.of(3), 2, NO_ENV, 2));
    }

    @Test
    void environmentVariableWinsOverEverything() {
        Map<String, String> env = Map.of("OMP_NUM_THREADS", " 2 ");
        assertEquals(new Choice(2, Source.ENVIRONMENT), NativeThreads.choose(OptionalInt.of(1), 2, env, 16));
        assertEquals(new Choice(4, Source.ENVIRONMENT),
                NativeThreads.choose(OptionalInt.empty(), 1, Map.of("OMP_NUM_THREADS", "4,2"), 2));
        assertEquals(new Choice(1, Source.DEFAULT),
                NativeThreads.choose(OptionalInt.empty(), 2, Map.of("OMP_NUM_THREADS", ""), 2), "blank = unset");
    }

    @Test
    void badCountsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> NativeThreads.choose(OptionalInt.empty(), 1, Map.of("OMP_NUM_THREADS", "many"), 2));
        assertTrue(e.getMessage().contains("OMP_NUM_THREADS") && e.getMessage().contains("'many'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.choose(OptionalInt.of(0), 1, NO_ENV, 2));
        assertTrue(e.getMessage().contains("native threads must be >= 1, but was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.choose(OptionalInt.empty(), 0, NO_ENV, 2));
        assertTrue(e.getMessage().contains("concurrentJobs must be >= 1, but was 0"), e.getMessage());
    }

    @Test
    void applyingSetsTheCallingThreadsOpenMpTeamAndTheProcessPools() throws Exception {
        Nd4j.getBackend(); // NativeOpsHolder needs the backend loaded
        int before = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        try {
            new Choice(2, Source.EXPLICIT).applyToCurrentThread();
            assertEquals(2, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            new Choice(1, Source.EXPLICIT).applyToCurrentThread();
            assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "BLAS (OpenBLAS keeps at most its initial count)");
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads(), "libnd4j's threads per op");
            new Choice(2, Source.EXPLICIT).applyToCurrentThread();
            int[] other = new int[1];
            Thread t = new Thread(() -> {
                new Choice(1, Source.EXPLICIT).applyToCurrentThread();
                other[0] = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
            });
            t.start();
            t.join();
            assertEquals(1, other[0]);
            assertEquals(2, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                    "OpenMP keeps its count per thread");
            new Choice(7, Source.ENVIRONMENT).applyToCurrentThread();
            assertEquals(2, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                    "a count from the environment changes nothing");
        } finally {
            new Choice(before, Source.EXPLICIT).applyToCurrentThread();
        }
    }
}
