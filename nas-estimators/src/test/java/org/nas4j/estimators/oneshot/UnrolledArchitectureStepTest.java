package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.Tolerances;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSpaces;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Second-order DARTS' architecture gradient on a small DARTS-style supernet (a normal, a reduction and a normal
 * cell of two nodes picking two inputs each, {@code ComposedSpaces.cells(8)}, under {@code PathPolicies.mixed()}),
 * in DOUBLE, batches of 4 (training) and 3 (validation) 1x8x8 images; {@value #CHECKS} entries of alpha, spread over the used ones, are checked.
 *
 * <p>The exact second-order gradient is the derivative of the unrolled objective
 * {@code F(alpha) = L_val(w - xi * (momentum * buf + dL_train(w, alpha)/dw + wd * w), alpha)}. The step computes it
 * with the Hessian-vector product as a central difference of radius {@code r}; in the limit {@code r -> 0} it is
 * exact, so with a small {@code r} it must equal a central difference of {@code F} computed directly (step
 * {@code h}). Tolerance, from the steps and the precision ({@link Tolerances}):
 * <ul>
 *   <li>truncation: both central differences are off by {@code O(h^2)} and {@code O(r^2)} times third derivatives;
 *       with {@code h = r = 1e-6} that is {@code 1e-12} times them, covered by {@value #REL_TOL} times the size of
 *       the two terms of the gradient (third derivatives up to ~{@code 1e6} times the gradient pass);</li>
 *   <li>rounding: each evaluation of {@code F} is off by at most {@code gamma(k) * |F|} and each architecture
 *       gradient by {@code gamma(k)} times its largest entry, with {@code k} = {@value #ROUNDINGS} roundings for
 *       the chain of passes (as {@code GradientCheck}: 1024 per pass); the quotients divide these by {@code 2h}
 *       and by {@code 2R = 2r / ||v||}: about {@code 1.6e-6} here, the largest part of the tolerance.</li>
 * </ul>
 * The network is only piecewise smooth (ReLU, max pooling): the steps must be small enough that no unit switches
 * within them. At {@code h = r = 1e-6} none does (the two sides agree to ~{@code 1e-10}); at {@code r = 1e-5} a
 * few do and the Hessian term moves by ~{@code 5e-6}, and at the default {@code r = 0.01} more: that is the
 * finite difference's own error, the reference's as well, not a defect of the step.
 * A wrong second-order term is off by its own size, which here is many times the tolerance:
 * {@link #theCheckFailsWhenTheSecondOrderTermIsWrong()} breaks it three ways and sees the check fail.
 */
class UnrolledArchitectureStepTest {

    private static final double XI = 0.5;
    private static final double MOMENTUM = 0.9;
    private static final double WEIGHT_DECAY = 0.01;
    private static final double H = 1e-6;
    private static final double R = 1e-6;
    private static final double REL_TOL = 1e-6;
    private static final long ROUNDINGS = 4 * 1024;
    private static final int CHECKS = 16;

    private static Fixture shared;
    private static int[] checked;
    private static double[] exact;
    private static double[] firstTerm;
    private static double[] computed;
    private static double absTol;

    /** A supernet, its weight optimizer with a momentum buffer of two steps, and the batches. */
    private record Fixture(ComposedSupernet net, Sgd sgd, INDArray trainX, INDArray trainY, INDArray validX,
            INDArray validY) {

        Parameter alpha() {
            return ((LearnedPathPolicy) net.policy()).alpha();
        }
    }

    /** The weights after two SGD steps at 0.05, then a learning rate of {@code xi}; alpha spread out. */
    private static Fixture fixture(double xi) {
        ComposedSupernet net = ComposedSupernet.compile(ComposedSpaces.cells(8), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.DOUBLE, 3);
        Parameter alpha = ((LearnedPathPolicy) net.policy()).alpha();
        alpha.value().assign(GradientCheck.random(5, alpha.shape()).muli(0.5));
        LearningRateSchedule schedule = step -> step < 2 ? 0.05 : xi;
        Sgd sgd = Sgd.builder(net.weights(), schedule).momentum(MOMENTUM).weightDecay(WEIGHT_DECAY).build();
        Fixture f = new Fixture(net, sgd, GradientCheck.random(11, 4, 1, 8, 8),
                SoftmaxCrossEntropy.oneHot(new int[] {1, 4, 7, 2}, 10, DataType.DOUBLE),
                GradientCheck.random(12, 3, 1, 8, 8),
                SoftmaxCrossEntropy.oneHot(new int[] {3, 0, 9}, 10, DataType.DOUBLE));
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        for (int i = 0; i < 2; i++) {
            ce.forward(net.forward(f.trainX(), Mode.TRAINING), f.trainY());
            net.backward(ce.backward());
            sgd.step();
        }
        return f;
    }

    @BeforeAll
    static void computeOnce() {
        shared = fixture(XI);
        Parameter alpha = shared.alpha();
        UnrolledArchitectureStep step = UnrolledArchitectureStep.builder(shared.net(), shared.sgd()).perturbation(R)
                .build();
        step.computeGradient(shared.trainX(), shared.trainY(), shared.validX(), shared.validY());
        computed = alpha.gradient().dup().reshape(alpha.length()).toDoubleVector();
        Unrolled at = unrolled(shared, true);
        firstTerm = at.alphaGradient();
        // the entries the edges use (alpha's padding never has a gradient), at most CHECKS of them, spread evenly
        List<Integer> used = new ArrayList<>();
        long columns = alpha.shape()[1];
        for (int i = 0; i < alpha.length(); i++) {
            if (i % columns < ((LearnedPathPolicy) shared.net().policy()).ops((int) (i / columns))) {
                used.add(i);
            }
        }
        int stride = Math.max(1, (used.size() + CHECKS - 1) / CHECKS);
        checked = new int[(used.size() + stride - 1) / stride];
        for (int j = 0; j < checked.length; j++) {
            checked[j] = used.get(j * stride);
        }
        exact = new double[computed.length];
        INDArray flat = alpha.value().reshape(alpha.length());
        double largestF = 0;
        for (int i : checked) {
            double original = flat.getDouble(i);
            flat.putScalar(i, original + H);
            double plus = unrolled(shared, false).loss();
            flat.putScalar(i, original - H);
            double minus = unrolled(shared, false).loss();
            flat.putScalar(i, original);
            exact[i] = (plus - minus) / (2 * H);
            largestF = Math.max(largestF, Math.max(Math.abs(plus), Math.abs(minus)));
        }
        double largestGradient = 0;
        for (double g : computed) {
            largestGradient = Math.max(largestGradient, Math.abs(g));
        }
        double radius = R / at.weightGradientNorm();
        absTol = Tolerances.centralDifference(DataType.DOUBLE, largestF, H, ROUNDINGS)
                + XI * Tolerances.centralDifference(DataType.DOUBLE, largestGradient, radius, ROUNDINGS);
    }

    @Test
    void withASmallRadiusItIsTheDerivativeOfTheUnrolledValidationLoss() {
        double worst = worstRatio(computed);
        assertTrue(worst <= 1, "worst |computed - exact| / tolerance = " + worst + " (absolute part " + absTol
                + ")");
        double secondOrder = 0;
        for (int i : checked) {
            secondOrder = Math.max(secondOrder, Math.abs(computed[i] - firstTerm[i]));
        }
        // the check means something only if the second-order term is far above the tolerance
        assertTrue(secondOrder > 1000 * (absTol + REL_TOL), "second-order term " + secondOrder);
    }

    @Test
    void theCheckFailsWhenTheSecondOrderTermIsWrong() {
        // dropped: dL_val(w')/dalpha alone
        assertTrue(worstRatio(firstTerm) > 100, "without the Hessian term: " + worstRatio(firstTerm));
        // sign flipped
        double[] flipped = new double[computed.length];
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = 2 * firstTerm[i] - computed[i];
        }
        assertTrue(worstRatio(flipped) > 100, "with the Hessian term's sign flipped: " + worstRatio(flipped));
        // the momentum buffer ignored: the same settings without the two steps of history
        Sgd fresh = Sgd.builder(shared.net().weights(), LearningRateSchedule.constant(XI)).momentum(MOMENTUM)
                .weightDecay(WEIGHT_DECAY).build();
        UnrolledArchitectureStep.builder(shared.net(), fresh).perturbation(R).build()
                .computeGradient(shared.trainX(), shared.trainY(), shared.validX(), shared.validY());
        Parameter alpha = shared.alpha();
        double[] noMomentum = alpha.gradient().dup().reshape(alpha.length()).toDoubleVector();
        assertTrue(worstRatio(noMomentum) > 100, "without the momentum buffer: " + worstRatio(noMomentum));
    }

    @Test
    void leavesTheWeightsTheirGradientsAndTheMomentumBufferAsTheyWere() {
        Fixture f = fixture(XI);
        ParameterSet weights = f.net().weights();
        List<Parameter> list = weights.parameters();
        list.get(0).markGradient();
        list.get(3).markGradient();
        double[] values = weights.values().toDoubleVector();
        double[] gradients = weights.gradients().toDoubleVector();
        double[] buffer = f.sgd().momentumBuffer().orElseThrow().toDoubleVector();
        double[] alpha = f.alpha().value().dup().reshape(f.alpha().length()).toDoubleVector();
        List<Boolean> marks = marks(weights);
        long steps = f.sgd().steps();
        // the running statistics the reference's model ends with: passes at w, w+ and w- (w+- differ from w by
        // r = 1e-7 in norm, which moves batch statistics by ~1e-7 times their sensitivity), not the one at w'
        List<double[]> before = statistics(weights);
        for (int i = 0; i < 3; i++) {
            f.net().forward(f.trainX(), Mode.TRAINING);
        }
        List<double[]> expected = statistics(weights);
        restore(weights, before);

        double validLoss = UnrolledArchitectureStep.builder(f.net(), f.sgd()).perturbation(1e-7).build()
                .computeGradient(f.trainX(), f.trainY(), f.validX(), f.validY());
        List<double[]> after = statistics(weights);

        assertArrayEquals(values, weights.values().toDoubleVector(), 0.0);
        assertArrayEquals(gradients, weights.gradients().toDoubleVector(), 0.0);
        assertEquals(marks, marks(weights));
        assertArrayEquals(buffer, f.sgd().momentumBuffer().orElseThrow().toDoubleVector(), 0.0);
        assertEquals(steps, f.sgd().steps());
        assertArrayEquals(alpha, f.alpha().value().dup().reshape(f.alpha().length()).toDoubleVector(), 0.0);
        assertTrue(f.alpha().hasGradient());
        assertNotEquals(0, after.size());
        for (int i = 0; i < after.size(); i++) {
            assertArrayEquals(expected.get(i), after.get(i), 1e-5, "running statistic " + i);
        }
        assertEquals(unrolled(f, false).loss(), validLoss, 1e-12);
    }

    @Test
    void aZeroLearningRateGivesTheFirstOrderGradient() {
        Fixture f = fixture(0.0);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(f.net().forward(f.validX(), Mode.TRAINING), f.validY());
        f.net().backward(ce.backward());
        double[] firstOrder = f.alpha().gradient().dup().reshape(f.alpha().length()).toDoubleVector();
        UnrolledArchitectureStep.builder(f.net(), f.sgd()).build()
                .computeGradient(f.trainX(), f.trainY(), f.validX(), f.validY());
        // w' = w - 0 * (...) is w, and the Hessian term is multiplied by 0: the same numbers, bit for bit
        assertArrayEquals(firstOrder, f.alpha().gradient().dup().reshape(f.alpha().length()).toDoubleVector(), 0.0);
    }

    @Test
    void refusesBadInput() {
        Fixture f = fixture(XI);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnrolledArchitectureStep
                .builder(f.net(), Sgd.builder(f.net().weights(), LearningRateSchedule.constant(XI)).momentum(0.9)
                        .nesterov(true).build()));
        assertEquals("weightOptimizer must use plain momentum, as the unrolled step of the reference (w - xi *"
                + " (momentum * buf + g)), but nesterov was true", e.getMessage());
        ComposedSupernet other = ComposedSupernet.compile(ComposedSpaces.cells(8), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.DOUBLE, 4);
        e = assertThrows(IllegalArgumentException.class, () -> UnrolledArchitectureStep.builder(other, f.sgd()));
        assertTrue(e.getMessage().startsWith("weightOptimizer must update supernet.weights()"), e.getMessage());
        ComposedSupernet single = ComposedSupernet.compile(ComposedSpaces.cells(8), PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.DOUBLE, 4);
        Sgd sgd = Sgd.builder(single.weights(), LearningRateSchedule.constant(XI)).build();
        e = assertThrows(IllegalArgumentException.class, () -> UnrolledArchitectureStep.builder(single, sgd));
        assertEquals("supernet must have architecture weights (a learned path policy, e.g. PathPolicies.mixed()),"
                + " but its policy SinglePathPolicy has none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> UnrolledArchitectureStep.builder(f.net(), f.sgd()).perturbation(0));
        assertEquals("perturbation must be finite and > 0, but was 0.0", e.getMessage());
        UnrolledArchitectureStep step = UnrolledArchitectureStep.builder(f.net(), f.sgd()).build();
        e = assertThrows(IllegalArgumentException.class, () -> step.computeGradient(f.trainX().castTo(
                DataType.FLOAT), f.trainY(), f.validX(), f.validY()));
        assertEquals("trainImages must be of the supernet's data type DOUBLE, but was FLOAT", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> step.computeGradient(f.trainX(), f.trainY(),
                f.validX(), f.trainY()));
        assertEquals("validLabels must be [batch, classes] with the batch of validImages [3, 1, 8, 8], but was"
                + " [4, 10]", e.getMessage());
    }

    /** The loss, architecture gradient and weight-gradient norm of the validation pass at w' (computed here). */
    private record Unrolled(double loss, double[] alphaGradient, double weightGradientNorm) {
    }

    /**
     * {@code L_val(w', alpha)} with {@code w' = w - xi * (momentum * buf + dL_train(w)/dw + wd * w)}, computed
     * directly; with {@code backward}, also its gradients. Leaves the weights as they were.
     */
    private static Unrolled unrolled(Fixture f, boolean backward) {
        ParameterSet weights = f.net().weights();
        INDArray w = weights.values().dup();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        weights.parameters().forEach(Parameter::clearGradient);
        ce.forward(f.net().forward(f.trainX(), Mode.TRAINING), f.trainY());
        f.net().backward(ce.backward());
        for (Parameter p : weights.parameters()) {
            assertTrue(p.hasGradient(), p.name());
        }
        INDArray g = weights.gradients().dup();
        INDArray buffer = f.sgd().momentumBuffer().orElseThrow();
        double xi = f.sgd().learningRate();
        INDArray direction = g.addi(w.mul(f.sgd().weightDecay())).addi(buffer.mul(f.sgd().momentum()));
        weights.values().assign(w.sub(direction.muli(xi)));
        double loss = ce.forward(f.net().forward(f.validX(), Mode.TRAINING), f.validY());
        Unrolled result = new Unrolled(loss, null, 0);
        if (backward) {
            f.net().backward(ce.backward());
            Parameter alpha = f.alpha();
            result = new Unrolled(loss, alpha.gradient().dup().reshape(alpha.length()).toDoubleVector(),
                    weights.gradients().norm2Number().doubleValue());
        }
        weights.values().assign(w);
        return result;
    }

    /** The largest {@code |candidate - exact| / tolerance} over the checked entries of alpha. */
    private static double worstRatio(double[] candidate) {
        double worst = 0;
        for (int i : checked) {
            double scale = Math.abs(firstTerm[i]) + Math.abs(computed[i] - firstTerm[i]);
            double tol = absTol + REL_TOL * Math.max(scale, Math.abs(exact[i]));
            worst = Math.max(worst, Math.abs(candidate[i] - exact[i]) / tol);
        }
        return worst;
    }

    private static List<Boolean> marks(ParameterSet set) {
        List<Boolean> marks = new ArrayList<>();
        for (Parameter p : set.parameters()) {
            marks.add(p.hasGradient());
        }
        return marks;
    }

    private static List<double[]> statistics(ParameterSet set) {
        List<double[]> copy = new ArrayList<>();
        set.states().values().forEach(s -> copy.add(s.clone()));
        return copy;
    }

    private static void restore(ParameterSet set, List<double[]> saved) {
        int i = 0;
        for (double[] s : set.states().values()) {
            System.arraycopy(saved.get(i++), 0, s, 0, s.length);
        }
    }
}
