package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A network's convolutions on one OpenMP thread while all of its recent ones are small, on the job's threads once
 * one is large; per calling thread; OpenBLAS's count with it.
 */
class ConvolutionThreadsTest {

    private NativeOps ops;
    private int openMpBefore;
    private int blasBefore;

    @BeforeEach
    void rememberOpenMp() {
        Nd4j.getBackend(); // NativeOpsHolder needs the backend loaded
        ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        openMpBefore = ops.ompGetMaxThreads();
        blasBefore = Nd4j.factory().blas().getMaxThreads();
        ConvolutionThreads.choose(0); // another test class on this thread may have prepared a job
    }

    @AfterEach
    void forgetAndRestore() {
        ConvolutionThreads.choose(0);
        ops.setOmpNumThreads(openMpBefore);
        Nd4j.factory().blas().setMaxThreads(blasBefore);
    }

    @Test
    void smallConvolutionsTakeOneThreadLargeOnesTheJobsCount() {
        assertEquals(1, ConvolutionThreads.threadsFor(ConvolutionThreads.GRAIN - 1, 2));
        assertEquals(2, ConvolutionThreads.threadsFor(ConvolutionThreads.GRAIN, 2));
        assertEquals(4, ConvolutionThreads.threadsFor(10 * ConvolutionThreads.GRAIN, 4));
        assertEquals(1, ConvolutionThreads.threadsFor(10 * ConvolutionThreads.GRAIN, 1));
    }

    @Test
    void switchesTheCallingThreadsOpenMpCountOnlyWhenAJobChose() {
        ConvolutionThreads.forConvolution(1, 1); // no job chose: the environment's count stays
        assertEquals(openMpBefore, ops.ompGetMaxThreads());
        assertEquals(blasBefore, Nd4j.factory().blas().getMaxThreads());
        assertEquals(0, ConvolutionThreads.current());

        ops.setOmpNumThreads(2);
        Nd4j.factory().blas().setMaxThreads(2);
        ConvolutionThreads.choose(2);
        ConvolutionThreads.forConvolution(1000, 16);
        assertEquals(1, ops.ompGetMaxThreads());
        assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "OpenBLAS follows OpenMP");
        assertEquals(1, ConvolutionThreads.current());
        ConvolutionThreads.forConvolution(ConvolutionThreads.GRAIN, 16);
        assertEquals(2, ops.ompGetMaxThreads());
        assertEquals(2, Nd4j.factory().blas().getMaxThreads(), "OpenBLAS follows OpenMP");
        assertEquals(2, ConvolutionThreads.chosen());
        // the network has a large convolution: its small ones stay on the job's threads (no switching)
        ConvolutionThreads.forConvolution(1000, 16);
        assertEquals(2, ops.ompGetMaxThreads());
        // another network (the next trial) with small convolutions only: one thread within two windows
        int calls = 0;
        while (ConvolutionThreads.current() == 2) {
            ConvolutionThreads.forConvolution(1000, 16);
            calls++;
        }
        assertEquals(1, ops.ompGetMaxThreads());
        assertTrue(calls >= ConvolutionThreads.WINDOW - 2 && calls <= 2 * ConvolutionThreads.WINDOW,
                "switched back after " + calls + " calls");
    }

    @Test
    void aLargePlaneCountsAsALargeConvolution() {
        ops.setOmpNumThreads(2);
        ConvolutionThreads.choose(2);
        ConvolutionThreads.forConvolution(1000, ConvolutionThreads.LARGE_PLANE - 1);
        assertEquals(1, ops.ompGetMaxThreads());
        ConvolutionThreads.forConvolution(1000, ConvolutionThreads.LARGE_PLANE); // e.g. a 1x1 at 32x32
        assertEquals(2, ops.ompGetMaxThreads());
    }

    @Test
    void theChoiceBelongsToTheThreadThatMadeIt() throws Exception {
        ConvolutionThreads.choose(2);
        AtomicInteger seen = new AtomicInteger(-1);
        Thread other = new Thread(() -> seen.set(ConvolutionThreads.chosen()));
        other.start();
        other.join();
        assertEquals(0, seen.get());
        assertEquals(2, ConvolutionThreads.chosen());
    }

    @Test
    void aSmallPlainConvolutionRunsOnOneThreadAndADepthwiseOneSwitchesNothing() {
        ops.setOmpNumThreads(2);
        ConvolutionThreads.choose(2);
        ParameterSet params = new ParameterSet(DataType.FLOAT, 7);
        Conv2d depthwise = Conv2d.builder(params, "dw", 4, 4, 3).padding(1).groups(4).build();
        Conv2d plain = Conv2d.builder(params, "pw", 4, 8, 1).build();
        params.seal();
        var x = Nd4j.rand(DataType.FLOAT, 2, 4, 8, 8);
        depthwise.forward(x, Mode.TRAINING); // a Java kernel: OpenMP is not involved
        assertEquals(2, ConvolutionThreads.current());
        var y = plain.forward(x, Mode.TRAINING); // 2 * 8 * 8 * 8 * 4 multiply-adds: below the grain
        assertEquals(1, ConvolutionThreads.current());
        assertEquals(1, ops.ompGetMaxThreads());
        plain.backward(y.dup());
        assertEquals(1, ops.ompGetMaxThreads());
    }

    @Test
    void negativeCountsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConvolutionThreads.choose(-1));
        assertEquals("threads must be >= 0, but was -1", e.getMessage());
    }
}
