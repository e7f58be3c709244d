package org.nas4j.strategies.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Adam (Kingma and Ba, ICLR 2015) over one flat parameter vector, with bias correction. Minimises: each
 * {@link #step} moves the parameters against the gradient it is given. Not thread-safe; its moments and step
 * count are part of the saved state of the strategy that owns it.
 */
public final class Adam {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private long t;

    /** Adam for {@code size} parameters with the paper's defaults beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public Adam(int size, double learningRate) {
        this(size, learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with explicit hyper-parameters. */
    public Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, but was " + learningRate);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** One update of {@code params} (in place) with the gradient of the loss to minimise. */
    public void step(double[] params, double[] grad) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double a = learningRate / c1;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            params[i] -= a * m[i] / (Math.sqrt(v[i] / c2) + epsilon);
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    /** The moments and step count. */
    public ObjectNode save() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("t", t);
        s.put("m", StateCodec.encode(m));
        s.put("v", StateCodec.encode(v));
        return s;
    }

    /** Restores what {@link #save} wrote. */
    public void restore(JsonNode s) {
        t = s.get("t").asLong();
        StateCodec.decodeInto(s.get("m"), m, "adam first moment");
        StateCodec.decodeInto(s.get("v"), v, "adam second moment");
    }
}
