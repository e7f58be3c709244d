package org.nas4j.estimators.zerocost;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.network.NetworkFactory;
import org.nas4j.estimators.network.TrainableNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a {@link ZeroCostProxy} scores: one architecture, networks of it at initialisation (a fresh one per call,
 * so that a proxy may change its weights), and one batch of training data.
 *
 * @param architecture the architecture scored
 * @param factory      builds its networks
 * @param seed         the seed of the initial weights (every network of the context has the same weights)
 * @param images       the batch's images {@code [B, C, H, W]}, normalised as training normalises them
 * @param labels       the batch's labels, one per image
 * @param classes      the number of classes
 */
public record ProxyContext(Architecture architecture, NetworkFactory factory, long seed, float[] images,
                           long[] imageShape, int[] labels, int classes) {

    public ProxyContext {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(factory, "factory");
        if (imageShape.length != 4 || imageShape[0] != labels.length) {
            throw new IllegalArgumentException("imageShape must be [B, C, H, W] with B = labels.length = "
                    + labels.length + ", but was " + java.util.Arrays.toString(imageShape));
        }
    }

    /** A network of the architecture at initialisation, built afresh. */
    public TrainableNetwork network() {
        return factory.build(architecture, seed);
    }

    /** A network of the architecture at initialisation, built afresh by {@code other} (e.g. in DOUBLE). */
    public TrainableNetwork network(NetworkFactory other) {
        return other.build(architecture, seed);
    }

    /** The batch's images in {@code type}. */
    public INDArray images(DataType type) {
        return Nd4j.create(images, imageShape, 'c').castTo(type);
    }

    /** The batch's labels one-hot, {@code [B, classes]}, in {@code type}. */
    public INDArray oneHot(DataType type) {
        return org.nas4j.estimators.engine.ops.SoftmaxCrossEntropy.oneHot(labels, classes, type);
    }

    /** The batch size. */
    public int batchSize() {
        return labels.length;
    }

    /**
     * The weights the proxies of the literature sum over: those of convolutions (dense, depthwise and pointwise)
     * and linear layers, named {@code *.weight}; not biases, not batch-norm scales and shifts.
     */
    public static List<Parameter> weights(TrainableNetwork net) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : net.parameters().parameters()) {
            if (p.name().endsWith(".weight")) {
                out.add(p);
            }
        }
        return out;
    }
}
