package org.nas4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.nas4j.core.search.Statistics;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.NativeOp;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.ops.Conv2d;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times depthwise convolution at the shapes of the DARTS search network (batch B; C = 16 at 32x32, 32 at 16x16,
 * 64 at 8x8; the depthwise parts of {@code sep_conv_3x3/5x5} and {@code dil_conv_3x3/5x5}, stride 1 and the
 * reduction cells' stride 2), forward ({@code fwd}) and backward ({@code bwd}: input and weight gradients), with
 * nas4j's {@link Conv2d} ({@code groups = channels}, its Java kernel) and, with {@code --nd4j}, libnd4j's {@code
 * depthwise_conv2d} / {@code _bp} (weights {@code [1, C, k, k]}, platform helpers as ND4J sets them; libnd4j's own
 * kernel for dilated shapes, where its oneDNN path fails). Then the depthwise convolutions of the small mobile chains
 * of {@code ChainEpochBenchmark} with their default architectures: {@code pxl*} for ProxylessNAS' MBConv layers
 * (expanded widths, 28x28 down to 7x7), {@code spos*} for SPOS' ShuffleNetV2 blocks (main and projection branches,
 * 28x28 down to 4x4; widths as the channel scales give them). The counterpart of {@code bench/torch_depthwise.py}
 * (same shape names, same output lines). The sides alternate within each round.
 *
 * <p>Usage: {@code DepthwiseConvBenchmark [--batch 32] [--rounds 5] [--reps 10] [--threads N] [--nd4j]
 * [--shapes NAME,...]}. Prints {@code RESULT nas4j_dw_<shape>_<fwd|bwd> median=<ms> min=<ms> max=<ms> n=<rounds>}
 * per shape (and {@code nd4j_dw_...} with {@code --nd4j}), each figure the mean of {@code reps} calls.
 */
public final class DepthwiseConvBenchmark {

    /** A depthwise convolution shape: name, channels, image size, kernel, stride, dilation. */
    record Shape(String name, int channels, int size, int kernel, int stride, int dilation) {
        int padding() {
            return dilation * (kernel - 1) / 2;
        }
    }

    static final List<Shape> SHAPES = shapes();

    private DepthwiseConvBenchmark() {
    }

    private static List<Shape> shapes() {
        List<Shape> list = new ArrayList<>();
        int[][] stages = {{16, 32}, {32, 16}, {64, 8}};
        int[][] ops = {{3, 1}, {5, 1}, {3, 2}, {5, 2}};
        for (int[] op : ops) {
            String kind = (op[1] == 1 ? "sep" : "dil") + op[0];
            for (int[] stage : stages) {
                list.add(new Shape(kind + "_c" + stage[0] + "_" + stage[1] + "_s1", stage[0], stage[1], op[0], 1,
                        op[1]));
            }
            for (int[] stage : Arrays.copyOf(stages, 2)) {
                list.add(new Shape(kind + "_c" + stage[0] + "_" + stage[1] + "_s2", stage[0], stage[1], op[0], 2,
                        op[1]));
            }
        }
        list.add(new Shape("pxl3_c16_28_s1", 16, 28, 3, 1, 1));
        list.add(new Shape("pxl5_c24_28_s2", 24, 28, 5, 2, 1));
        list.add(new Shape("pxl3_c48_14_s1", 48, 14, 3, 1, 1));
        list.add(new Shape("pxl7_c96_14_s2", 96, 14, 7, 2, 1));
        list.add(new Shape("pxl5_c144_7_s1", 144, 7, 5, 1, 1));
        list.add(new Shape("pxl3_c96_7_s1", 96, 7, 3, 1, 1));
        list.add(new Shape("pxl7_c192_7_s1", 192, 7, 7, 1, 1));
        list.add(new Shape("spos3_c16_28_s2", 16, 28, 3, 2, 1));
        list.add(new Shape("spos3_c9_14_s1", 9, 14, 3, 1, 1));
        list.add(new Shape("spos5_c51_14_s2", 51, 14, 5, 2, 1));
        list.add(new Shape("spos7_c32_7_s1", 32, 7, 7, 1, 1));
        list.add(new Shape("spos3_c64_7_s2", 64, 7, 3, 2, 1));
        list.add(new Shape("spos3_c89_4_s1", 89, 4, 3, 1, 1));
        return List.copyOf(list);
    }

    /** Runs the benchmark; see the class documentation for the arguments. */
    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.of("--batch", "32", "--rounds", "5", "--reps", "10",
                "--threads", "0", "--nd4j", "false", "--shapes", ""));
        int batch = Arguments.positiveInt("--batch", a.get("--batch"));
        int rounds = Arguments.positiveInt("--rounds", a.get("--rounds"));
        int reps = Arguments.positiveInt("--reps", a.get("--reps"));
        OptionalInt threads = a.threads();
        List<String> only = a.list("--shapes");
        for (String name : only) {
            if (SHAPES.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("--shapes must name shapes of " + SHAPES.stream()
                        .map(Shape::name).toList() + ", but had '" + name + "'");
            }
        }
        NativeThreads.Choice choice = BenchmarkBackend.prepare(threads);
        System.out.println("batch " + batch + ", " + choice);
        for (Shape s : SHAPES) {
            if (!only.isEmpty() && !only.contains(s.name())) {
                continue;
            }
            run(s, batch, rounds, reps, a.flag("--nd4j"));
        }
    }

    private static void run(Shape s, int batch, int rounds, int reps, boolean nd4j) {
        ParameterSet params = new ParameterSet(DataType.FLOAT, 1);
        Conv2d conv = Conv2d.builder(params, "dw", s.channels(), s.channels(), s.kernel()).stride(s.stride())
                .padding(s.padding()).dilation(s.dilation()).groups(s.channels()).build();
        params.seal();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, s.channels(), s.size(), s.size());
        INDArray y = conv.forward(x, Mode.TRAINING);
        INDArray gy = Nd4j.rand(DataType.FLOAT, y.shape());
        INDArray w = params.parameters().get(0).value();
        long[] iArgs = {s.kernel(), s.kernel(), s.stride(), s.stride(), s.padding(), s.padding(), s.dilation(),
            s.dilation(), 0, 0, 1};
        boolean helpers = s.dilation() == 1;
        NativeOp fwd = NativeOp.named("depthwise_conv2d").intArgs(iArgs).helpers(helpers);
        NativeOp bwd = NativeOp.named("depthwise_conv2d_bp").intArgs(iArgs).helpers(helpers);
        INDArray refY = y.like();
        INDArray[] refGrads = {x.like(), w.like()};
        List<Runnable> sides = new ArrayList<>(List.of(() -> conv.forward(x, Mode.TRAINING),
                () -> conv.backward(gy)));
        if (nd4j) {
            sides.add(() -> fwd.exec(refY, x, w));
            sides.add(() -> bwd.exec(refGrads, x, w, gy));
        }
        String[] names = {"nas4j_dw_" + s.name() + "_fwd", "nas4j_dw_" + s.name() + "_bwd",
            "nd4j_dw_" + s.name() + "_fwd", "nd4j_dw_" + s.name() + "_bwd"};
        double[][] times = new double[sides.size()][rounds];
        for (Runnable side : sides) {
            side.run(); // warm-up
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < sides.size(); i++) {
                int n = i < 2 ? reps : Math.max(1, reps / 10);
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    sides.get(i).run();
                }
                times[i][r] = (System.nanoTime() - t0) / 1e6 / n;
            }
        }
        for (int i = 0; i < sides.size(); i++) {
            double[] t = times[i].clone();
            Arrays.sort(t);
            double median = Statistics.median(t);
            System.out.printf("RESULT %s median=%.3f min=%.3f max=%.3f n=%d%n", names[i], median, t[0],
                    t[t.length - 1], t.length);
        }
    }
}
