package org.nas4j.estimators.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Central finite differences in double precision against a layer's backward pass. The scalar checked is
 * {@code L = sum(output * R)} for a fixed random {@code R}, so {@code dL/doutput = R}.
 *
 * <p>Tolerance, derived from the precision and the step (see {@link Tolerances}): an analytic gradient {@code a}
 * and a numeric one {@code n} agree when {@code |a - n| <= gamma(k) * sum|output * R| / EPS + REL_TOL * max(|a|,
 * |n|)}. The first term bounds the rounding error of the central difference, with {@code k} the number of terms of
 * {@code L} plus {@value #FORWARD_ROUNDINGS} roundings for the forward pass (fan-in times depth of the layers and
 * small networks checked: a 3x3 convolution over 16 channels has fan-in 144, and the networks are a few such layers
 * deep). The second bounds the truncation error {@code EPS^2 f''' / 6} of smooth functions, relative to the
 * gradient, with a wide margin. {@code GradientCheckTest} breaks a gradient on purpose and sees the check fail.
 */
public final class GradientCheck {

    private static final double EPS = 1e-6;
    private static final long FORWARD_ROUNDINGS = 1024;
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
        check(forward, backward, params, x, checks, which, true);
    }

    /**
     * As {@link #check(Function, Function, ParameterSet, INDArray, int)} for a single path of a supernet: checks
     * the parameters that the backward pass wrote a gradient for (those of the path) and skips the others; their
     * gradient marks must be clear before the call.
     *
     * @return how many parameters were checked
     */
    public static int checkPath(Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            ParameterSet params, INDArray x, int checks) {
        check(forward, backward, params, x, checks, Parameter::hasGradient, false);
        return (int) params.parameters().stream().filter(Parameter::hasGradient).count();
    }

    private static void check(Function<INDArray, INDArray> forward, Function<INDArray, INDArray> backward,
            ParameterSet params, INDArray x, int checks, java.util.function.Predicate<Parameter> which,
            boolean everyParameter) {

        if (x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need DOUBLE input, but was " + x.dataType());
        }
        INDArray out = forward.apply(x);
        INDArray r = random(99, out.shape());
        double absTol = Tolerances.centralDifference(DataType.DOUBLE, Transforms.abs(out.mul(r)).sumNumber()
                .doubleValue(), EPS, out.length() + FORWARD_ROUNDINGS);
        INDArray gx = backward.apply(r).dup();
        compare("input", x, gx, forward, r, x, checks, absTol);
        if (params == null) {
            return;
        }
        for (Parameter p : params.parameters()) {
            assertTrue(p.hasGradient() || !everyParameter, "parameter " + p.name() + " received no gradient");
            if (!which.test(p)) {
                continue;
            }
            INDArray g = p.gradient().dup();
            compare(p.name(), p.value(), g, forward, r, x, checks, absTol);
        }
    }

    private static void compare(String what, INDArray perturbed, INDArray analytic,
            Function<INDArray, INDArray> forward, INDArray r, INDArray input, int maxChecks, double absTol) {
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
            double tol = absTol + REL_TOL * Math.max(Math.abs(a), Math.abs(numeric));
            if (Math.abs(a - numeric) > tol) {
                fail("gradient of " + what + "[" + i + "]: analytic " + a + " vs numeric " + numeric
                        + " (tolerance " + tol + ")");
            }
        }
    }

    private static double loss(INDArray out, INDArray r) {
        return out.mul(r).sumNumber().doubleValue();
    }
}
