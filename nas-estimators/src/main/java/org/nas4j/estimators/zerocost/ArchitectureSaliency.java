package org.nas4j.estimators.zerocost;

import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
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
 *
 * <pre>{@code
 * ArchitectureSaliency.Result r = ArchitectureSaliency.synflow(space, 0, DataType.DOUBLE);
 * r.architecture();   // the derived cell
 * r.scores()[e][k];   // the saliency of candidate k of edge e
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
        Objects.requireNonNull(space, "space");
        ComposedSupernet supernet = ComposedSupernet.compile(space, PathPolicies.mixed(), ModuleCatalogue.standard(),
                dataType, seed);
        LearnedPathPolicy policy = (LearnedPathPolicy) supernet.policy();
        Transforms.abs(supernet.weights().values(), false);
        Transforms.abs(supernet.architectureParameters().values(), false);
        for (Parameter p : supernet.weights().parameters()) {
            p.clearGradient();
        }
        Shape in = space.inputShape();
        INDArray ones = Nd4j.ones(dataType, 1, in.channels(), in.height(), in.width());
        INDArray logits = supernet.forward(ones, Mode.TRAINING);
        supernet.backward(Nd4j.onesLike(logits));
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
