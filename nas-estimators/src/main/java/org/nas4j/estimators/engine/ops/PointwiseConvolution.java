package org.nas4j.estimators.engine.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nas4j.estimators.backend.NativeBackend;
import org.nas4j.estimators.engine.ConvolutionThreads;
import org.nas4j.estimators.engine.HostArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 1x1 convolution of stride 1 without bias as one matrix product per image, through OpenBLAS (the BLAS that
 * ND4J's CPU backend loads), the images split over {@link KernelThreads}: with the weight {@code W} as an
 * {@code [out, in]} matrix and image {@code b} of the input as an {@code [in, H * W]} matrix, {@code y_b = W x_b};
 * backward {@code gx_b = W^T gy_b} and {@code gW = sum_b gy_b x_b^T}, each worker summing its fixed slice of images
 * and the slices added in order (a run repeats its sums bit for bit at the same thread count).
 *
 * <p>Why: libnd4j's {@code conv2d} (oneDNN) on a second OpenMP thread made the small mobile chains slower (the
 * worker spins after each op on the core the Java kernels want), so a network of small convolutions runs them on
 * one ({@link ConvolutionThreads}) and the second core idles through the convolutions, most of such a network's
 * step. Products per image split over the job's threads use it, with OpenBLAS itself on one thread (docs/
 * performance.md, "1x1 convolutions over the batch on two threads"). NCHW images are already the matrices the
 * products need: nothing is copied.
 *
 * <p>Used by {@link Conv2d} for FLOAT and DOUBLE arrays on ND4J's CPU backend, for outputs below {@link
 * ConvolutionThreads#LARGE_PLANE}, on a thread whose native ops run on one thread ({@link
 * ConvolutionThreads#oneThreadForNative()}); other convolutions keep libnd4j.
 */
final class PointwiseConvolution {

    private PointwiseConvolution() {
    }

    private static final class Availability {
        static final boolean CPU_WITH_OPENBLAS = detect();

        private static boolean detect() {
            try {
                Class.forName("org.bytedeco.openblas.global.openblas_nolapack", false,
                        PointwiseConvolution.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
            return NativeBackend.backend().equals("CpuBackend");
        }
    }

    /** Whether a 1x1 convolution of stride 1 without bias producing {@code y} from {@code x} runs here. */
    static boolean handles(INDArray x, INDArray y) {
        return HostArrays.hasJavaKernels(x.dataType())
                && y.size(2) * y.size(3) < ConvolutionThreads.LARGE_PLANE
                && ConvolutionThreads.oneThreadForNative() && Availability.CPU_WITH_OPENBLAS;
    }

    /** {@code y = conv1x1(x, w)}; all three dense in 'c' order, {@code w} {@code [out, in, 1, 1]}. */
    static void forward(INDArray x, INDArray w, INDArray y) {
        Shapes p = new Shapes(x, w);
        KernelThreads.forEach(p.batch, () -> b -> gemm(false, false, p.out, p.plane, p.in, w, 0, p.in, x,
                (long) b * p.in * p.plane, p.plane, 0, y, (long) b * p.out * p.plane, p.plane));
    }

    /** Writes {@code gx} and {@code gw} from {@code gy}; all dense in 'c' order. */
    static void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw) {
        backward(x, w, gy, gx, gw, Math.min((int) x.size(0), KernelThreads.parallelism()));
    }

    /** {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray)} with the images in {@code slices}. */
    static void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, int slices) {
        Shapes p = new Shapes(x, w);
        INDArray[] partial = new INDArray[slices];
        partial[0] = gw;
        for (int i = 1; i < slices; i++) {
            partial[i] = Nd4j.create(gw.dataType(), gw.shape());
        }
        KernelThreads.forEach(slices, () -> slice -> {
            for (int b = slice * p.batch / slices; b < (slice + 1) * p.batch / slices; b++) {
                long xAt = (long) b * p.in * p.plane;
                long gyAt = (long) b * p.out * p.plane;
                gemm(true, false, p.in, p.plane, p.out, w, 0, p.in, gy, gyAt, p.plane, 0, gx, xAt, p.plane);
                gemm(false, true, p.out, p.in, p.plane, gy, gyAt, p.plane, x, xAt, p.plane,
                        b == slice * p.batch / slices ? 0 : 1, partial[slice], 0, p.in);
            }
        });
        for (int i = 1; i < slices; i++) {
            gw.addi(partial[i]);
        }
    }

    /** The shapes of one call. */
    private record Shapes(int batch, int in, int out, int plane) {
        Shapes(INDArray x, INDArray w) {
            this((int) x.size(0), (int) x.size(1), (int) w.size(0), (int) (x.size(2) * x.size(3)));
        }
    }

    /**
     * {@code c = op(a) op(b) + beta * c}, row-major; {@code a}, {@code b}, {@code c} from element {@code at} of their
     * arrays. A view's data buffer is itself a view that starts at the array's first element: its address pointer
     * already points there (the NIO views, which the other Java kernels index with {@code offset()}, start at the
     * whole buffer's first element instead).
     */
    private static void gemm(boolean transA, boolean transB, int m, int n, int k, INDArray a, long aAt, int lda,
            INDArray b, long bAt, int ldb, int beta, INDArray c, long cAt, int ldc) {
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (a.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f,
                    new FloatPointer(a.data().addressPointer()).position(aAt), lda,
                    new FloatPointer(b.data().addressPointer()).position(bAt), ldb, beta,
                    new FloatPointer(c.data().addressPointer()).position(cAt), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1d,
                    new DoublePointer(a.data().addressPointer()).position(aAt), lda,
                    new DoublePointer(b.data().addressPointer()).position(bAt), ldb, beta,
                    new DoublePointer(c.data().addressPointer()).position(cAt), ldc);
        }
    }
}
