package org.nas4j.estimators.zerocost;

import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy;
import org.nas4j.estimators.engine.supernet.LearnedPathPolicy;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * FreeDARTS' score of a supernet's candidate ops at initialisation, without data and without training (Zhang et
 * al., "Differentiable Architecture Search Meets Network Pruning at Initialization", the synflow variant of their
 * reference notebooks): the DARTS supernet of the space ({@link PathPolicies#mixed()}: every edge the
 * softmax-weighted sum of its candidates), every parameter and architecture parameter replaced by its absolute
 * value, one all-ones image in (batch norm in training mode, as the reference's network is), {@code R =
 * sum(logits)}, and for candidate {@code k} of edge {@code e} the synaptic saliency of its architecture parameter,
 * {@code |alpha_ek * dR/dalpha_ek|}. The architecture is then derived from these scores by the supernet's rules
 * ({@link ComposedSupernet#derive(double[][])}: the strongest candidate per op choice; the strongest inputs per
 * node of a DARTS cell), in one shot.
 * With data, {@link #snip} and {@link #grasp} score the candidates by SNIP or GraSP on one batch instead, the
 * data-dependent criteria the paper compares.
 *
 * <pre>{@code
 * ArchitectureSaliency.Result r = ArchitectureSaliency.synflow(space, 0, DataType.DOUBLE);
 * r.architecture();   // the derived cell
 * r.scores()[e][k];   // the saliency of candidate k of edge e
 * ArchitectureSaliency.snip(space, FashionMnist.bundled(), 64, 0, DataType.DOUBLE);  // with data: SNIP
 * ArchitectureSaliency.grasp(space, FashionMnist.bundled(), 64, 0, DataType.DOUBLE); // with data: GraSP
 * }</pre>
 */
public final class ArchitectureSaliency {

    private ArchitectureSaliency() {
    }

    /**
     * The scores and the architecture derived from them.
     *
     * @param scores       {@code scores[e][k]}: the saliency of candidate {@code k} of supernet edge {@code e}
     * @param architecture the architecture of the strongest candidates
     */
    public record Result(double[][] scores, Architecture architecture) {
    }

    /**
     * Scores the candidates of {@code space}'s supernet.
     *
     * @param space    a builder space whose supernet the compiler builds (op choices and input choices)
     * @param seed     the seed of the supernet's initial weights
     * @param dataType DOUBLE advised: products of absolute weights overflow FLOAT in deep supernets
     */
    public static Result synflow(ComposedSpace space, long seed, DataType dataType) {
        return synflow(space, seed, dataType, Mode.TRAINING);
    }

    /**
     * Scores the candidates of {@code space}'s supernet by synflow with batch norm in {@code batchNorm} mode:
     * {@link Mode#TRAINING} normalises the one constant image by its own statistics (as {@link #synflow(
     * ComposedSpace, long, DataType)}), {@link Mode#INFERENCE} by the initial running statistics (mean 0, variance
     * 1), nearly the identity, as the {@code synflow} proxy does (the reference proxy's {@code bn=False}).
     */
    public static Result synflow(ComposedSpace space, long seed, DataType dataType, Mode batchNorm) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(batchNorm, "batchNorm");
        ComposedSupernet supernet = supernet(space, seed, dataType);
        Transforms.abs(supernet.weights().values(), false);
        Transforms.abs(supernet.architectureParameters().values(), false);
        Shape in = space.inputShape();
        INDArray ones = Nd4j.ones(dataType, 1, in.channels(), in.height(), in.width());
        INDArray logits = supernet.forward(ones, batchNorm);
        supernet.backward(Nd4j.onesLike(logits));
        return saliencies(supernet);
    }

    /**
     * Scores the candidates of {@code space}'s supernet by SNIP (Lee et al., ICLR 2019) on its architecture
     * parameters, the data-dependent criterion FreeDARTS compares with synflow: the supernet at initialisation
     * (weights and architecture parameters as initialised, not made absolute), one batch of {@code batchSize}
     * training images of {@code data} (normalised, drawn by {@code seed}), the mean cross-entropy loss {@code L}
     * with batch norm in training mode, and for candidate {@code k} of edge {@code e} the score {@code |alpha_ek *
     * dL/dalpha_ek|}.
     *
     * @param space     a builder space whose supernet the compiler builds
     * @param data      the data set whose training part supplies the batch
     * @param batchSize images in the batch, in [1, training images]
     * @param seed      the seed of the supernet's initial weights and of the batch
     * @param dataType  FLOAT or DOUBLE
     */
    public static Result snip(ComposedSpace space, TrainTest data, int batchSize, long seed, DataType dataType) {
        Objects.requireNonNull(space, "space");
        ProxyBatch batch = ProxyBatch.draw(data, batchSize, seed);
        ComposedSupernet supernet = supernet(space, seed, dataType);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(supernet.forward(batch.images(dataType), Mode.TRAINING), batch.oneHot(dataType));
        supernet.backward(loss.backward());
        return saliencies(supernet);
    }

    /**
     * Scores the candidates of {@code space}'s supernet by GraSP (Wang et al., ICLR 2020) on its architecture
     * parameters, as FreeDARTS' reference does: the supernet at initialisation (not made absolute), one batch of
     * {@code batchSize} training images of {@code data} (normalised, drawn by {@code seed}), the mean
     * cross-entropy {@code L} with batch norm in training mode, {@code g = dL/dalpha}, {@code H} the Hessian of
     * {@code L} with respect to {@code alpha} (the weights held), and for candidate {@code k} of edge {@code e} the
     * score {@code alpha_ek * (H g)_ek}. GraSP's own score is {@code S = -alpha * (H g)} and GraSP removes the
     * highest {@code S} first, so the candidate kept is the one of highest {@code alpha * (H g)} (the reference's
     * {@code argmax}); scores may be negative. {@code H g} is the central difference of the gradient along
     * {@code g}, as the zero-cost proxy {@code grasp} computes its own (displacement {@code eps / ||g||}, {@code eps}
     * 0.01 in FLOAT, 1e-4 in DOUBLE); every score is 0 where {@code g} is.
     *
     * @param space     a builder space whose supernet the compiler builds
     * @param data      the data set whose training part supplies the batch
     * @param batchSize images in the batch, in [1, training images]
     * @param seed      the seed of the supernet's initial weights and of the batch
     * @param dataType  FLOAT or DOUBLE
     */
    public static Result grasp(ComposedSpace space, TrainTest data, int batchSize, long seed, DataType dataType) {
        Objects.requireNonNull(space, "space");
        ProxyBatch batch = ProxyBatch.draw(data, batchSize, seed);
        ComposedSupernet supernet = supernet(space, seed, dataType);
        LearnedPathPolicy policy = (LearnedPathPolicy) supernet.policy();
        INDArray alpha = policy.alpha().value();
        INDArray g = alphaGradient(supernet, batch, dataType);
        double norm = g.norm2Number().doubleValue();
        double[][] a = alpha.toDoubleMatrix();
        double[][] hg = new double[a.length][a[0].length];
        if (norm > 0) {
            double eps = dataType == DataType.DOUBLE ? Grasp.DOUBLE_DISPLACEMENT : Grasp.FLOAT_DISPLACEMENT;
            double r = eps / norm;
            INDArray saved = alpha.dup();
            alpha.addi(g.mul(r));
            INDArray plus = alphaGradient(supernet, batch, dataType);
            alpha.assign(saved).subi(g.mul(r));
            INDArray minus = alphaGradient(supernet, batch, dataType);
            alpha.assign(saved);
            hg = plus.sub(minus).divi(2 * r).toDoubleMatrix();
        }
        double[][] scores = new double[a.length][];
        for (int e = 0; e < a.length; e++) {
            scores[e] = new double[policy.ops(e)];
            for (int k = 0; k < scores[e].length; k++) {
                scores[e][k] = a[e][k] * hg[e][k];
            }
        }
        return new Result(scores, supernet.derive(scores));
    }

    /** {@code dL/dalpha} of the batch's mean cross-entropy (batch norm in training mode), a copy. */
    private static INDArray alphaGradient(ComposedSupernet supernet, ProxyBatch batch, DataType dataType) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(supernet.forward(batch.images(dataType), Mode.TRAINING), batch.oneHot(dataType));
        supernet.backward(loss.backward());
        return ((LearnedPathPolicy) supernet.policy()).alpha().gradient().dup();
    }

    /** The DARTS supernet of {@code space} (every edge mixed), its weight gradients cleared. */
    private static ComposedSupernet supernet(ComposedSpace space, long seed, DataType dataType) {
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                dataType, seed);
        for (Parameter p : supernet.weights().parameters()) {
            p.clearGradient();
        }
        return supernet;
    }

    /** {@code |alpha_ek * dR/dalpha_ek|} after a backward pass, and the architecture derived from them. */
    private static Result saliencies(ComposedSupernet supernet) {
        LearnedPathPolicy policy = (LearnedPathPolicy) supernet.policy();
        double[][] alpha = policy.alpha().value().toDoubleMatrix();
        double[][] grad = policy.alpha().gradient().toDoubleMatrix();
        double[][] scores = new double[alpha.length][];
        for (int e = 0; e < alpha.length; e++) {
            scores[e] = new double[policy.ops(e)];
            for (int k = 0; k < scores[e].length; k++) {
                scores[e][k] = Math.abs(alpha[e][k] * grad[e][k]);
            }
        }
        return new Result(scores, supernet.derive(scores));
    }
}
