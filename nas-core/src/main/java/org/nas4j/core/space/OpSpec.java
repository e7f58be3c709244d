package org.nas4j.core.space;

/**
 * The specification of an operation: its name, how it maps shapes, and how many trainable parameters and
 * multiply-adds it costs. Specifications drive parameter and FLOP counts from the graph model without building a
 * network; the engine's implementation of the same op must agree with them (tests check it).
 */
public interface OpSpec {

    /** The op's name as it appears in architectures, e.g. {@code "nor_conv_3x3"}. */
    String name();

    /** The output shape for {@code input}, producing {@code outChannels} channels with {@code stride}. */
    Shape output(Shape input, int outChannels, int stride);

    /** Trainable parameters (weights, biases, batch-norm affine parameters) for the given channel counts. */
    long parameters(int inChannels, int outChannels, int stride);

    /** Multiply-adds for one sample of shape {@code input}. */
    long multiplyAdds(Shape input, int outChannels, int stride);
}
