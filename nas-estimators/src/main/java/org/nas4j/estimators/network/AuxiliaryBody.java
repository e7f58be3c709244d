package org.nas4j.estimators.network;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network body with a second, auxiliary classifier that runs in training only (DARTS' {@code logits_aux}): its
 * logits are read after a training forward pass and its gradient passed back together with the main one.
 */
interface AuxiliaryBody extends Module {

    /** The auxiliary logits of the last forward pass, owned by the body; null if it was not in training mode. */
    INDArray auxiliaryLogits();

    /**
     * Back-propagates both heads through the last forward pass.
     *
     * @param gradLogits          gradient of the loss with respect to the main logits
     * @param gradAuxiliaryLogits gradient with respect to the auxiliary logits, or null (the auxiliary head then
     *                            contributes nothing)
     * @return gradient with respect to the input
     */
    INDArray backward(INDArray gradLogits, INDArray gradAuxiliaryLogits);
}
