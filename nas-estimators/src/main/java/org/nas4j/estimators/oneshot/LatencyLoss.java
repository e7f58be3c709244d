package org.nas4j.estimators.oneshot;

import java.util.Locale;
import java.util.Objects;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.ProxylessPolicy;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ProxylessNAS' latency loss (Cai, Zhu and Han, ICLR 2019, section 3.3 and appendix; reference code
 * {@code mit-han-lab/proxylessnas}, {@code search/nas_manager.py}, {@code GradientArchSearchConfig
 * .add_regularization_loss}): the architecture step's loss combines the cross-entropy {@code CE} with the expected
 * latency {@code E = fixed + sum_e sum_k p[e][k] * lat[e][k]} of a {@link LatencyTable}, in one of two forms:
 * <ul>
 *   <li>{@link Form#MUL_LOG} ({@code "mul#log"}): {@code L = alpha * CE * (log(E) / log(target))^beta};</li>
 *   <li>{@link Form#ADD_LINEAR} ({@code "add#linear"}): {@code L = CE + lambda * (E - target) / target}.</li>
 * </ul>
 * The probabilities {@code p} are those the reference's {@code SuperProxylessNASNets.expected_latency} reads
 * ({@code MixedEdge.current_prob_over_ops}): with two sampled paths ({@link ProxylessPolicy}, the reference's
 * {@code 'two'} mode) the softmax of the two sampled ops' logits, 0 for the others
 * ({@link Probabilities#SAMPLED_PAIR});
 * otherwise the softmax of the edge's logits ({@link Probabilities#EDGE_SOFTMAX}, the reference's {@code 'full'}
 * and {@code 'full_v2'} modes and the paper's equation).
 *
 * <p>Use in an architecture step, after the forward pass (which draws the paths):
 * <pre>{@code
 * LatencyLoss latency = LatencyLoss.builder(table, policy, 80.0).build();     // mul#log, alpha 0.2, beta 0.3
 * double ce = crossEntropy.forward(net.forward(validImages, Mode.TRAINING), validLabels);
 * net.backward(crossEntropy.backward().muli(latency.logitGradientScale()));   // dL/dlogits = scale * dCE/dlogits
 * LatencyLoss.Result r = latency.apply(ce);   // adds dL/dalpha of the latency term to alpha's gradient
 * alphaOptimizer.step();
 * policy.rescale();
 * }</pre>
 * With {@link SupernetTrainer}, {@link #firstOrderGradient()} does these three calls.
 * {@link #apply} must come after the backward pass: {@link ProxylessPolicy} overwrites {@code alpha}'s gradient
 * when the backward pass ends; {@link #apply} adds to the gradient written since the last optimizer step (or sets
 * it, if none was). Immutable settings; reads the policy's current state; not thread-safe.
 */
public final class LatencyLoss {

    /** The reference's {@code reg_loss_type}. */
    public enum Form {
        /** {@code "mul#log"}: {@code alpha * CE * (log(E) / log(target))^beta}; the reference's default. */
        MUL_LOG("mul#log"),
        /** {@code "add#linear"}: {@code CE + lambda * (E - target) / target}. */
        ADD_LINEAR("add#linear");

        private final String reference;

        Form(String reference) {
            this.reference = reference;
        }

        /** The reference's name of the form. */
        public String reference() {
            return reference;
        }

        /** The form named {@code name}: {@code "mul#log"} or {@code "mul"}, {@code "add#linear"} or {@code "add"}. */
        public static Form parse(String name) {
            Objects.requireNonNull(name, "form");
            return switch (name) {
                case "mul#log", "mul" -> MUL_LOG;
                case "add#linear", "add" -> ADD_LINEAR;
                default -> throw new IllegalArgumentException("form must be one of mul#log (mul), add#linear (add),"
                        + " but was '" + name + "'");
            };
        }
    }

    /** Which probabilities weigh the candidates' latencies. */
    public enum Probabilities {
        /** {@code softmax} of the edge's logits ({@link LearnedPathPolicy#probabilities}). */
        EDGE_SOFTMAX,
        /**
         * {@code softmax} of the logits of the two ops {@link ProxylessPolicy} sampled in the current training pass
         * ({@link ProxylessPolicy#active()}, {@link ProxylessPolicy#inactive()}), 0 for the others.
         */
        SAMPLED_PAIR
    }

    /**
     * One evaluation of the loss.
     *
     * @param loss               the total loss {@code L}
     * @param crossEntropy       the cross-entropy it was given
     * @param expectedLatencyMs  {@code E}
     * @param logitGradientScale {@code dL/dCE}: the factor by which the cross-entropy's gradient of the logits is
     *                           multiplied ({@code alpha * (log(E) / log(target))^beta} for mul#log, 1 for add#linear)
     * @param latencyGradient    {@code dL/dE}
     */
    public record Result(double loss, double crossEntropy, double expectedLatencyMs, double logitGradientScale,
                         double latencyGradient) {
    }

    /** The reference's command-line default of {@code grad_reg_loss_alpha} ({@code imagenet_arch_search.py}). */
    public static final double DEFAULT_ALPHA = 0.2;
    /** The reference's command-line default of {@code grad_reg_loss_beta}. */
    public static final double DEFAULT_BETA = 0.3;
    /** The reference's command-line default of {@code grad_reg_loss_lambda}. */
    public static final double DEFAULT_LAMBDA = 0.1;

    private final LatencyTable table;
    private final LearnedPathPolicy policy;
    private final double targetMs;
    private final Form form;
    private final double alpha;
    private final double beta;
    private final double lambda;
    private final Probabilities probabilities;

    private LatencyLoss(Builder b) {
        this.table = b.table;
        this.policy = b.policy;
        this.targetMs = b.targetMs;
        this.form = b.form;
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.lambda = b.lambda;
        this.probabilities = b.probabilities;
    }

    /**
     * A builder.
     *
     * @param table    the latencies of the policy's edges (as many edges, as many candidates per edge)
     * @param policy   the policy whose {@code alpha} the loss reads and whose gradient it adds to
     * @param targetMs the reference's {@code ref_value}: the target latency in ms, > 0 (80 for the paper's mobile
     *                 search)
     * @return the builder
     */
    public static Builder builder(LatencyTable table, LearnedPathPolicy policy, double targetMs) {
        return new Builder(table, policy, targetMs);
    }

    /** The per-edge probabilities the expected latency uses now, {@code [edge][candidate]}. */
    public double[][] probabilities() {
        double[][] p = new double[table.edges()][];
        int[] active = null;
        int[] inactive = null;
        if (probabilities == Probabilities.SAMPLED_PAIR) {
            active = ((ProxylessPolicy) policy).active();
            inactive = ((ProxylessPolicy) policy).inactive();
        }
        for (int e = 0; e < p.length; e++) {
            int ops = policy.ops(e);
            if (probabilities == Probabilities.EDGE_SOFTMAX || policy.mask().allowedCount(e) == 1) {
                p[e] = policy.probabilities(e);
                continue;
            }
            if (inactive[e] < 0 || inactive[e] == active[e]) {
                throw new IllegalStateException("SAMPLED_PAIR needs the two ops of a training pass of ProxylessPolicy"
                        + " with architectureStep(true), but edge " + e + " has none sampled: run forward in"
                        + " Mode.TRAINING first");
            }
            double a = policy.alpha().value().getDouble(e, active[e]);
            double b = policy.alpha().value().getDouble(e, inactive[e]);
            double m = Math.max(a, b);
            double ea = Math.exp(a - m);
            double eb = Math.exp(b - m);
            p[e] = new double[ops];
            p[e][active[e]] = ea / (ea + eb);
            p[e][inactive[e]] = eb / (ea + eb);
        }
        return p;
    }

    /** The expected latency {@code E} in ms under the current {@link #probabilities()}. */
    public double expectedLatencyMs() {
        return table.expectedMs(probabilities());
    }

    /**
     * The factor {@code dL/dCE} by which to multiply the cross-entropy's gradient of the logits before the backward
     * pass: {@code alpha * (log(E) / log(target))^beta} for mul#log, 1 for add#linear. It does not depend on
     * {@code CE}, so it is known before the loss is.
     */
    public double logitGradientScale() {
        return evaluate(0.0).logitGradientScale();
    }

    /**
     * The loss for cross-entropy {@code crossEntropy} and its derivatives, without side effects.
     *
     * @throws IllegalStateException for mul#log when {@code log(E) / log(target) <= 0} (E and the target on
     *                               different sides of 1 ms, or {@code E <= 0}), where the power is undefined
     */
    public Result evaluate(double crossEntropy) {
        if (!Double.isFinite(crossEntropy)) {
            throw new IllegalArgumentException("crossEntropy must be finite, but was " + crossEntropy);
        }
        double e = expectedLatencyMs();
        if (form == Form.ADD_LINEAR) {
            double loss = crossEntropy + lambda * (e - targetMs) / targetMs;
            return new Result(loss, crossEntropy, e, 1.0, lambda / targetMs);
        }
        double ratio = Math.log(e) / Math.log(targetMs);
        if (!(ratio > 0) || !Double.isFinite(ratio)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "mul#log needs log(E) / log(target) > 0"
                    + " (E and target on the same side of 1 ms), but E = %s ms and target = %s ms", e, targetMs));
        }
        double reg = Math.pow(ratio, beta);
        double scale = alpha * reg;
        // d/dE [alpha * CE * ratio^beta] = alpha * CE * beta * ratio^(beta - 1) / (E * log(target))
        double dE = alpha * crossEntropy * beta * Math.pow(ratio, beta - 1) / (e * Math.log(targetMs));
        return new Result(scale * crossEntropy, crossEntropy, e, scale, dE);
    }

    /**
     * {@link #evaluate} and adds the latency term's gradient {@code dL/dE * dE/dalpha} to {@code alpha}'s gradient
     * (through the softmax: {@code dE/dalpha[e][i] = p_i (lat_i - sum_j p_j lat_j)} over the edge's candidates,
     * or over the sampled pair). Call after the backward pass of the logits' gradient scaled by
     * {@link #logitGradientScale()}.
     */
    public Result apply(double crossEntropy) {
        Result r = evaluate(crossEntropy);
        double[][] grad = alphaGradient(r.latencyGradient());
        Parameter a = policy.alpha();
        INDArray g = Nd4j.createFromArray(grad).castTo(a.gradient().dataType());
        if (a.hasGradient()) {
            a.gradient().addi(g);
        } else {
            // nothing written since the last optimizer step: the buffer holds an old gradient
            a.gradient().assign(g);
        }
        a.markGradient();
        return r;
    }

    /**
     * {@link SupernetTrainer}'s first-order architecture gradient with this loss: forward on the architecture batch,
     * backward of the cross-entropy's logit gradient times {@link #logitGradientScale()}, then {@link #apply}; returns
     * the total loss. Use it as {@code builder.architectureGradient(latency.toString(), latency.firstOrderGradient())}:
     * the term's gradient must be added after the backward pass, whose end overwrites {@code alpha}'s gradient. The
     * trainer's supernet must use this loss's policy.
     */
    public SupernetTrainer.ArchitectureGradient firstOrderGradient() {
        return (trainer, weightImages, weightLabels, archImages, archLabels) -> {
            Supernet net = trainer.supernet();
            if (net.policy() != policy) {
                throw new IllegalArgumentException("the trainer's supernet must use this latency loss's policy, but"
                        + " it uses another " + net.policy().getClass().getSimpleName());
            }
            SoftmaxCrossEntropy ce = trainer.loss();
            double value = ce.forward(net.forward(archImages, Mode.TRAINING), archLabels);
            double scale = logitGradientScale();
            INDArray grad = ce.backward();
            net.backward(scale == 1.0 ? grad : grad.mul(scale));
            return apply(value).loss();
        };
    }

    /** {@code dL/dalpha} of the latency term for {@code dL/dE = latencyGradient}, shape of {@code alpha}. */
    double[][] alphaGradient(double latencyGradient) {
        double[][] p = probabilities();
        long columns = policy.alpha().shape()[1];
        double[][] grad = new double[p.length][(int) columns];
        for (int e = 0; e < p.length; e++) {
            double mean = 0;
            for (int k = 0; k < p[e].length; k++) {
                mean += p[e][k] * table.latencyMs(e, k);
            }
            for (int k = 0; k < p[e].length; k++) {
                // zero where p = 0: the ops outside the sampled pair get no gradient
                grad[e][k] = latencyGradient * p[e][k] * (table.latencyMs(e, k) - mean);
            }
        }
        return grad;
    }

    /** The table. */
    public LatencyTable table() {
        return table;
    }

    /** The target latency in ms. */
    public double targetMs() {
        return targetMs;
    }

    /** The form. */
    public Form form() {
        return form;
    }

    /** The probabilities used. */
    public Probabilities probabilityMode() {
        return probabilities;
    }

    @Override
    public String toString() {
        return form == Form.MUL_LOG
                ? String.format(Locale.ROOT, "LatencyLoss[%s, alpha=%s, beta=%s, target=%s ms, %s]", form.reference(),
                        alpha, beta, targetMs, probabilities)
                : String.format(Locale.ROOT, "LatencyLoss[%s, lambda=%s, target=%s ms, %s]", form.reference(),
                        lambda, targetMs, probabilities);
    }

    /** Settings of the loss; every setter validates at once, {@link #build()} checks the table against the policy. */
    public static final class Builder {
        private final LatencyTable table;
        private final LearnedPathPolicy policy;
        private final double targetMs;
        private Form form = Form.MUL_LOG;
        private double alpha = DEFAULT_ALPHA;
        private double beta = DEFAULT_BETA;
        private double lambda = DEFAULT_LAMBDA;
        private Probabilities probabilities;

        private Builder(LatencyTable table, LearnedPathPolicy policy, double targetMs) {
            this.table = Objects.requireNonNull(table, "table");
            this.policy = Objects.requireNonNull(policy, "policy");
            if (!(targetMs > 0) || !Double.isFinite(targetMs)) {
                throw new IllegalArgumentException("targetMs must be > 0 and finite, but was " + targetMs);
            }
            this.targetMs = targetMs;
        }

        /** The form. Default {@link Form#MUL_LOG}, the reference's default {@code grad_reg_loss_type}. */
        public Builder form(Form form) {
            this.form = Objects.requireNonNull(form, "form");
            return this;
        }

        /** The form by its reference name: {@code "mul#log"}, {@code "add#linear"} ({@code "mul"}, {@code "add"}). */
        public Builder form(String name) {
            return form(Form.parse(name));
        }

        /** mul#log's {@code alpha}, > 0 and finite. Default 0.2 (reference command line; function fallback 1). */
        public Builder alpha(double alpha) {
            this.alpha = positive("alpha", alpha);
            return this;
        }

        /** mul#log's {@code beta}, > 0 and finite. Default 0.3 (reference command line; function fallback 0.6). */
        public Builder beta(double beta) {
            this.beta = positive("beta", beta);
            return this;
        }

        /** add#linear's {@code lambda}, > 0 and finite. Default 0.1 (reference command line; function fallback 0.2). */
        public Builder lambda(double lambda) {
            this.lambda = positive("lambda", lambda);
            return this;
        }

        /**
         * The probabilities. Default: {@link Probabilities#SAMPLED_PAIR} for a {@link ProxylessPolicy} (the
         * reference's {@code 'two'} mode), {@link Probabilities#EDGE_SOFTMAX} for any other policy.
         */
        public Builder probabilities(Probabilities probabilities) {
            this.probabilities = Objects.requireNonNull(probabilities, "probabilities");
            return this;
        }

        /** The loss; an exception if the table does not match the policy's edges or the settings conflict. */
        public LatencyLoss build() {
            long edges = policy.alpha().shape()[0];
            if (table.edges() != edges) {
                throw new IllegalArgumentException("table must have one row per policy edge (" + edges + "), but had "
                        + table.edges());
            }
            for (int e = 0; e < edges; e++) {
                if (table.candidates(e) != policy.ops(e)) {
                    throw new IllegalArgumentException("table edge " + e + " must have " + policy.ops(e)
                            + " candidates (the policy's ops), but had " + table.candidates(e));
                }
            }
            if (probabilities == null) {
                probabilities = policy instanceof ProxylessPolicy ? Probabilities.SAMPLED_PAIR
                        : Probabilities.EDGE_SOFTMAX;
            }
            if (probabilities == Probabilities.SAMPLED_PAIR && !(policy instanceof ProxylessPolicy)) {
                throw new IllegalArgumentException("probabilities SAMPLED_PAIR needs a ProxylessPolicy (two sampled"
                        + " paths), but the policy was " + policy.getClass().getSimpleName());
            }
            if (form == Form.MUL_LOG && targetMs == 1.0) {
                throw new IllegalArgumentException("targetMs must not be 1 for mul#log (log(target) = 0 divides),"
                        + " but was " + targetMs);
            }
            return new LatencyLoss(this);
        }

        private static double positive(String name, double value) {
            if (!(value > 0) || !Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be > 0 and finite, but was " + value);
            }
            return value;
        }
    }
}
