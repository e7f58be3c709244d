package org.nas4j.estimators.engine.supernet;

import java.util.Map;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight-sharing network whose edges follow a {@link PathPolicy}: what the one-shot trainer and the one-shot
 * strategies drive, whatever the space. Implemented by {@code network.ComposedSupernet} (any builder space; the DARTS
 * search network is that of {@code DartsDefinition.cifar} with {@code ModuleCatalogue.dartsSearch()}). Not
 * thread-safe.
 */
public interface Supernet {

    /** The logits for {@code images}; starts a pass of the policy (which draws its paths). */
    INDArray forward(INDArray images, Mode mode);

    /** Back-propagates the gradient of the logits; writes weight and architecture-weight gradients. */
    INDArray backward(INDArray gradLogits);

    /** The network's weights (one optimizer). */
    ParameterSet weights();

    /** The policy's architecture weights (another optimizer); empty for a policy without them. */
    ParameterSet architectureParameters();

    /**
     * Every running statistic of the network (batch-norm means and variances, per width for sliced layers), by
     * name, as live arrays: what a checkpoint saves beside the weights and restores in place.
     */
    Map<String, double[]> states();

    /** The path policy. */
    PathPolicy policy();

    /** The space whose architectures this supernet holds. */
    SearchSpace space();

    /** The architecture of the strongest candidates of a learned policy; an exception for other policies. */
    Architecture derive();
}
