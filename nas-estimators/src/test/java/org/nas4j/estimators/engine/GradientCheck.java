package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences in double precision against a layer's backward pass. The scalar checked is
 * {@code L = sum(output * R)} for a fixed random {@code R}, so {@code dL/doutput = R}.
 */
public final class GradientCheck {

    private static final double EPS = 1e-6;
    private static final double ABS_TOL = 1e-7;
    private static final double REL_TOL = 1e-5;
    private static final int MAX_CHECKS = 30;

    private GradientCheck() {
    }

    /** A seeded random double array of the given shape, values in N(0, 1). */
    public static INDArray random(long seed, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(shape);
    }

    /** Checks the input gradient and the gradient of every parameter of {@code params}. */
    public static void check(Layer layer, ParameterSet params, INDArray x, Mode mode) {
        check(in -> layer.forward(in, mode), layer::backward, params, x);
    }

    /**
     * Checks a differentiable function given as forward and backward callbacks.
     *
     * @param forward  computes the output (may reuse buffers)
     * @param backward given dL/doutput, returns dL/dinput and writes parameter gradients
     * @param params   parameters to check (every one must receive a gradient), or null
     * @param x        the input, double precision; perturbed in place and restored
     */
    public static void check(Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            ParameterSet params, INDArray x) {
        check(forward, backward, params, x, MAX_CHECKS);
    }

    /** As {@link #check(Function, Function, ParameterSet, INDArray)}, checking at most {@code checks} elements of
     * each array (spread evenly), to keep checks of whole networks fast. */
    public static void check(Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            ParameterSet params, INDArray x, int checks) {
        check(forward, backward, params, x, checks, p -> true);
    }

    /** As above, checking only the parameters {@code which} accepts (all must still receive a gradient). */
    public static void check(Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            ParameterSet params, INDArray x, int checks, java.util.function.Predicate<Parameter> which) {

        if (x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need DOUBLE input, but was " + x.dataType());
        }
        INDArray out = forward.apply(x);
        INDArray r = random(99, out.shape());
        INDArray gx = backward.apply(r).dup();
        compare("input", x, gx, forward, r, x, checks);
        if (params == null) {
            return;
        }
        for (Parameter p : params.parameters()) {
            assertTrue(p.hasGradient(), "parameter " + p.name() + " received no gradient");
            if (!which.test(p)) {
                continue;
            }
            INDArray g = p.gradient().dup();
            compare(p.name(), p.value(), g, forward, r, x, checks);
        }
    }

    private static void compare(String what, INDArray perturbed, INDArray analytic,
            Function<INDArray, INDArray> forward, INDArray r, INDArray input, int maxChecks) {
        long n = perturbed.length();
        long step = Math.max(1, (n + maxChecks - 1) / maxChecks);
        INDArray flat = perturbed.reshape(n);
        INDArray flatGrad = analytic.reshape(n);
        for (long i = 0; i < n; i += step) {
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + EPS);
            double plus = loss(forward.apply(input), r);
            flat.putScalar(i, orig - EPS);
            double minus = loss(forward.apply(input), r);
            flat.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * EPS);
            double a = flatGrad.getDouble(i);
            double tol = ABS_TOL + REL_TOL * Math.max(Math.abs(a), Math.abs(numeric));
            if (Math.abs(a - numeric) > tol) {
                fail("gradient of " + what + "[" + i + "]: analytic " + a + " vs numeric " + numeric);
            }
        }
    }

    private static double loss(INDArray out, INDArray r) {
        return out.mul(r).sumNumber().doubleValue();
    }
}
