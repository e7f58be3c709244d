package org.nas4j.estimators.engine.recurrent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.OptionalInt;
import org.nas4j.core.search.Statistics;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CPU time of one training segment (forward and backward) of the search cell, the preallocated
 * {@link DartsSearchCell} against the allocating {@link DartsSearchCellReference}, alternating in rounds, on one
 * native thread, measured by the calling thread's CPU time ({@link ThreadMXBean}) so that other jobs on a shared
 * machine do not count. The trainer's default sizes: hidden 32, batch 32, 35 steps, 8 nodes, batch norm, masks.
 *
 * <pre>
 * java -cp ... org.nas4j.estimators.engine.recurrent.DartsSearchCellBenchmark [rounds] [segments per round]
 * </pre>
 */
public final class DartsSearchCellBenchmark {
    private static final int HIDDEN = 32;
    private static final int BATCH = 32;
    private static final int LENGTH = 35;
    private static final int NODES = 8;

    private DartsSearchCellBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int segments = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        NativeThreads.choose(OptionalInt.of(1), 1).applyToCurrentThread();
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        ParameterSet arch = new ParameterSet(DataType.FLOAT, 1);
        Parameter alpha = arch.add("weights", DartsSearchCell.weightsShape(NODES), Initializer.normal(1e-3));
        arch.seal();
        ParameterSet p = new ParameterSet(DataType.FLOAT, 2);
        RecurrentCell cell = new DartsSearchCell(p, "cell", alpha, NODES, HIDDEN, HIDDEN, Initializer.uniform(0.04),
                true);
        p.seal();
        ParameterSet q = new ParameterSet(DataType.FLOAT, 2);
        RecurrentCell reference = new DartsSearchCellReference(q, "cell", alpha, NODES, HIDDEN, HIDDEN,
                Initializer.uniform(0.04), true);
        q.seal();
        q.values().assign(p.values());
        INDArray x = Nd4j.rand(DataType.FLOAT, (long) LENGTH * BATCH, HIDDEN).subi(0.5);
        INDArray gy = Nd4j.rand(DataType.FLOAT, (long) LENGTH * BATCH, HIDDEN).subi(0.5).muli(1e-2);
        INDArray h0 = Nd4j.zeros(DataType.FLOAT, BATCH, HIDDEN);
        INDArray xMask = Nd4j.rand(DataType.FLOAT, BATCH, HIDDEN).gt(0.75).castTo(DataType.FLOAT).muli(4);
        INDArray hMask = Nd4j.rand(DataType.FLOAT, BATCH, HIDDEN).gt(0.25).castTo(DataType.FLOAT).muli(4 / 3.0);
        RecurrentCell[] cells = {reference, cell};
        String[] names = {"allocating", "preallocated"};
        for (RecurrentCell c : cells) {
            segment(c, x, h0, xMask, hMask, gy);
        }
        double[][] ms = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                long start = bean.getCurrentThreadCpuTime();
                for (int s = 0; s < segments; s++) {
                    segment(cells[k], x, h0, xMask, hMask, gy);
                }
                ms[k][r] = (bean.getCurrentThreadCpuTime() - start) / 1e6 / segments;
            }
            System.out.printf(Locale.ROOT, "round %d: allocating %.1f ms, preallocated %.1f ms CPU per segment%n",
                    r + 1, ms[0][r], ms[1][r]);
        }
        double[] medians = {Statistics.median(ms[0]), Statistics.median(ms[1])};
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "RESULT cell=%s cpu_ms_per_segment_median=%.1f rounds=%d segments=%d%n",
                    names[k], medians[k], rounds, segments);
        }
        System.out.printf(Locale.ROOT, "RESULT speedup=%.2f%n", medians[0] / medians[1]);
    }

    private static void segment(RecurrentCell c, INDArray x, INDArray h0, INDArray xMask, INDArray hMask,
            INDArray gy) {
        c.forward(x, h0, BATCH, xMask, hMask, Mode.TRAINING);
        c.backward(gy);
    }
}
