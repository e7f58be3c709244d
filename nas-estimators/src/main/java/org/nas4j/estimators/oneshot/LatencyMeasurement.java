package org.nas4j.estimators.oneshot;

import static org.nas4j.core.config.Require.atLeast;
import static org.nas4j.core.search.Statistics.median;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.OpCatalogue;
import org.nas4j.estimators.engine.Layer;
import org.nas4j.estimators.engine.MemoryScope;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures a {@link LatencyTable} of a {@link ComposedSupernet} on this backend, as ProxylessNAS builds its latency
 * lookup table: every candidate op is built alone at the input shape it has in the network
 * ({@link ComposedSupernet#sites}) and timed in inference, {@link Builder#warmUp warm-up} passes then the median of
 * {@link Builder#runs runs} passes at batch {@link Builder#batch batch}; a candidate that runs at several places (a
 * cell edge in every placement of its cell) costs the sum over its places; a zero op ({@code none}, skipped by the
 * supernet) costs 0. The fixed part is what the whole network takes beyond its chosen ops: for a few seeded sample
 * architectures, the median time of the network {@link ComposedSupernet#restrictedTo restricted} to it, minus the
 * table's latency of its candidates; the median of those differences, at least 0.
 *
 * <p>Why per op and not by differences of whole networks that differ in one edge: an op that costs little (a skip,
 * a pool) changes a whole network's time by less than that time's noise, so differences of whole-network medians
 * can come out negative or swap the order of cheap ops; timed alone, each op's median is positive and stable.
 * Only op-choice edges have candidates to time: a supernet with channel, input or depth edges is refused (their
 * latency is not a sum of independent candidate ops).
 *
 * <p>Immutable; {@link #table} is not thread-safe (it runs the backend).
 *
 * <pre>{@code
 * LatencyTable table = LatencyMeasurement.builder().runs(21).build().table(supernet, ModuleCatalogue.standard());
 * }</pre>
 */
public final class LatencyMeasurement {

    private final int batch;
    private final int warmUp;
    private final int runs;
    private final int fixedSamples;
    private final DataType dataType;
    private final long seed;

    private LatencyMeasurement(Builder b) {
        this.batch = b.batch;
        this.warmUp = b.warmUp;
        this.runs = b.runs;
        this.fixedSamples = b.fixedSamples;
        this.dataType = b.dataType;
        this.seed = b.seed;
    }

    /** A builder with the defaults: batch 1, 5 warm-up passes, median of 21, 3 samples for the fixed part. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Measures the table of {@code supernet}'s edges.
     *
     * @param supernet a supernet whose edges are all op choices
     * @param modules  the modules of its ops (those it was compiled with)
     * @return the table, its source naming these settings
     */
    public LatencyTable table(ComposedSupernet supernet, ModuleCatalogue modules) {
        Objects.requireNonNull(supernet, "supernet");
        Objects.requireNonNull(modules, "modules");
        ComposedSpace space = supernet.space();
        OpCatalogue catalogue = space.catalogue();
        int[] sizes = supernet.edgeSizes();
        double[][] ms = new double[sizes.length][];
        Map<String, Double> timed = new HashMap<>();
        for (int e = 0; e < sizes.length; e++) {
            ms[e] = new double[sizes[e]];
            for (int k = 0; k < sizes[e]; k++) {
                for (ComposedSupernet.Site site : supernet.sites(e, k)) {
                    if (catalogue.entry(site.op()).kind() == OpCatalogue.Kind.ZERO) {
                        continue;
                    }
                    String key = site.op() + "|" + site.input() + "|" + site.outChannels() + "|" + site.stride();
                    Double t = timed.get(key);
                    if (t == null) {
                        t = opMs(site, modules);
                        timed.put(key, t);
                    }
                    ms[e][k] += t;
                }
            }
        }
        double[] residual = new double[fixedSamples];
        for (int i = 0; i < fixedSamples; i++) {
            Architecture a = space.sample(new SplittableRandom(Seeds.derive(seed, "latency-fixed", i)));
            int[] path = supernet.path(a);
            double chosen = 0;
            for (int e = 0; e < path.length; e++) {
                chosen += ms[e][path[e]];
            }
            residual[i] = networkMs(a, modules, space.inputShape()) - chosen;
        }
        double fixed = Math.max(0.0, median(residual));
        String source = Configuration.of("measured").with("backend", Nd4j.getBackend().getClass().getSimpleName())
                .with("batch", batch).with("warmUp", warmUp).with("runs", runs).with("fixedSamples", fixedSamples)
                .with("dataType", dataType.name()).with("seed", seed).toString();
        return LatencyTable.of(fixed, ms, source);
    }

    /** The median time of one op built alone at its site. */
    private double opMs(ComposedSupernet.Site site, ModuleCatalogue modules) {
        try (MemoryScope scope = MemoryScope.open()) {
            ParameterSet params = new ParameterSet(dataType, seed);
            Layer op = modules.create(params, "latency", site.op(), site.input().channels(), site.outChannels(),
                    site.stride());
            params.seal();
            return medianMs(op, input(site.input()));
        }
    }

    /** The median time of the whole network of {@code architecture}. */
    private double networkMs(Architecture architecture, ModuleCatalogue modules, Shape input) {
        try (MemoryScope scope = MemoryScope.open()) {
            ComposedSupernet net = ComposedSupernet.restrictedTo(architecture, modules, dataType, seed);
            INDArray x = input(input);
            for (int i = 0; i < warmUp; i++) {
                net.forward(x, Mode.INFERENCE).getDouble(0);
            }
            double[] t = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                net.forward(x, Mode.INFERENCE).getDouble(0);
                t[i] = (System.nanoTime() - start) / 1e6;
            }
            return median(t);
        }
    }

    private double medianMs(Layer op, INDArray x) {
        for (int i = 0; i < warmUp; i++) {
            op.forward(x, Mode.INFERENCE).getDouble(0);
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            // reading one value waits for the result on asynchronous backends (CUDA)
            op.forward(x, Mode.INFERENCE).getDouble(0);
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(t);
    }

    /** A batch of seeded values of {@code shape} (not zeros: some kernels take shortcuts on zeros). */
    private INDArray input(Shape shape) {
        double[] v = new double[(int) (batch * shape.size())];
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "latency-input"));
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble(-1.0, 1.0);
        }
        return MemoryScope.track(Nd4j.create(v, new long[] {batch, shape.channels(), shape.height(), shape.width()},
                'c').castTo(dataType));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LatencyMeasurement[batch=%d, warmUp=%d, runs=%d, fixedSamples=%d, %s, "
                + "seed=%d]", batch, warmUp, runs, fixedSamples, dataType, seed);
    }

    /** Settings of a measurement; every setter validates at once. */
    public static final class Builder {
        private int batch = 1;
        private int warmUp = 5;
        private int runs = 21;
        private int fixedSamples = 3;
        private DataType dataType = DataType.FLOAT;
        private long seed = 0;

        private Builder() {
        }

        /** The batch size of the timed passes, >= 1. Default 1 (ProxylessNAS' mobile latency is per image). */
        public Builder batch(int batch) {
            this.batch = atLeast("batch", batch, 1);
            return this;
        }

        /** Untimed passes before the timed ones, >= 0. Default 5. */
        public Builder warmUp(int passes) {
            this.warmUp = atLeast("warmUp", passes, 0);
            return this;
        }

        /** Timed passes whose median is the latency, >= 1. Default 21. */
        public Builder runs(int runs) {
            this.runs = atLeast("runs", runs, 1);
            return this;
        }

        /** Sample architectures whose whole-network time gives the fixed part, >= 1. Default 3. */
        public Builder fixedSamples(int samples) {
            this.fixedSamples = atLeast("fixedSamples", samples, 1);
            return this;
        }

        /** The type of the ops' weights and inputs, FLOAT or DOUBLE. Default FLOAT. */
        public Builder dataType(DataType type) {
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, but was " + type);
            }
            this.dataType = type;
            return this;
        }

        /** Seed of the weights, the inputs and the sample architectures. Default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The measurement. */
        public LatencyMeasurement build() {
            return new LatencyMeasurement(this);
        }
    }
}
