package org.nas4j.estimators.network;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nas4j.estimators.engine.ParameterSet;

/**
 * The trainable side of an op catalogue: for each op name of an {@link org.nas4j.core.space.builder.OpCatalogue},
 * how to make its {@link Module}. {@link #standard()} makes every op of {@code OpCatalogue.standard()} (but
 * {@code none}, which cells skip) and of {@code ShuffleOps.catalogue()} (SPOS' ShuffleNetV2 blocks); add your own op
 * with {@link #with}, next to its cost formula in the space's catalogue. An op may also be declared a width of a
 * block ({@link #withSlice}), so that a supernet slices its weights from the block's widest (SPOS' channel search).
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ModuleCatalogue modules = ModuleCatalogue.standard()
 *         .with("my_conv_9x9", (params, name, in, out, stride) -> Modules.reluConvBn(params, name, in, out, 9, stride, false));
 * }</pre>
 */
public final class ModuleCatalogue {

    /** Makes the module of one op. */
    @FunctionalInterface
    public interface OpModule {
        /**
         * @param params where its parameters are declared
         * @param name   a unique prefix for its parameter and vertex names
         * @param in     input channels
         * @param out    output channels (the class count for a head)
         * @param stride its stride
         * @return the module
         */
        Module create(ParameterSet params, String name, int in, int out, int stride);
    }

    private static final ModuleCatalogue STANDARD = standardModules();
    private static final ModuleCatalogue DARTS_SEARCH = dartsSearchModules();

    /**
     * Where an op is one block at one of several widths, whose weights a supernet slices from the widest's (SPOS'
     * channel search): ops of one {@code family} at different {@code width}s.
     *
     * @param family the block the op is a width of, e.g. {@code shuffle_3x3}
     * @param width  its width, relative or absolute (the widest of a supernet edge's candidates holds the weights)
     */
    public record Slice(String family, double width) {
        public Slice {
            if (family == null || family.isBlank()) {
                throw new IllegalArgumentException("family must not be blank, but was '" + family + "'");
            }
            if (!(width > 0) || Double.isInfinite(width)) {
                throw new IllegalArgumentException("width must be finite and > 0, but was " + width);
            }
        }
    }

    private final Map<String, OpModule> modules;
    private final Map<String, Slice> slices;

    private ModuleCatalogue(Map<String, OpModule> modules, Map<String, Slice> slices) {
        this.modules = modules;
        this.slices = slices;
    }

    /** A catalogue without ops. */
    public static ModuleCatalogue empty() {
        return new ModuleCatalogue(Map.of(), Map.of());
    }

    /**
     * The modules of the standard ops (NAS-Bench-201, DARTS / NASNet, stems, residual block, heads, the mobile chain
     * ops of ProxylessNAS) and of SPOS' ShuffleNetV2 blocks ({@code ShuffleOps}).
     */
    public static ModuleCatalogue standard() {
        return STANDARD;
    }

    /**
     * The modules of the DARTS search network (the reference's {@code model_search.py}): the DARTS cell ops and the
     * cells' preprocessing with batch norm without affine parameters, pools followed by such a batch norm; the
     * stem ({@code conv_bn_3x3}, affine) and the head ({@code pool_linear}) as in {@link #standard()}. With it,
     * {@code ComposedSupernet.compile(DartsDefinition.cifar(DartsSpace.darts(), 16, 8, false).build(), policy,
     * ModuleCatalogue.dartsSearch(), ...)} is the reference's search network (1,930,618 weights).
     */
    public static ModuleCatalogue dartsSearch() {
        return DARTS_SEARCH;
    }

    /** This catalogue and {@code op}'s module; an exception if {@code op} already has one. */
    public ModuleCatalogue with(String op, OpModule module) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(module, "module");
        if (modules.containsKey(op)) {
            throw new IllegalArgumentException("op '" + op + "' already has a module; pick another name for your op");
        }
        Map<String, OpModule> copy = new LinkedHashMap<>(modules);
        copy.put(op, module);
        return new ModuleCatalogue(Collections.unmodifiableMap(copy), slices);
    }

    /**
     * This catalogue with {@code op}'s module, replacing the one it has if any (for a supernet that builds some ops
     * its own way, as {@code EnasChannelSupernet} does the branches of a channel range).
     */
    ModuleCatalogue replacing(String op, OpModule module) {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(module, "module");
        Map<String, OpModule> copy = new LinkedHashMap<>(modules);
        copy.put(op, module);
        return new ModuleCatalogue(Collections.unmodifiableMap(copy), slices);
    }

    /**
     * This catalogue where {@code op} (which has a module here) is {@code slice.family()} at width
     * {@code slice.width()}: in a supernet ({@code ComposedSupernet}), the candidates of an edge that are one family
     * share the weights of the widest, each narrower one running on their leading block (its module's parameters
     * must be leading blocks of the widest's, in the same order); stand-alone networks are unchanged.
     */
    public ModuleCatalogue withSlice(String op, Slice slice) {
        Objects.requireNonNull(slice, "slice");
        if (!modules.containsKey(op)) {
            throw new IllegalArgumentException("op '" + op + "' has no module here: add it with with() first");
        }
        Map<String, Slice> copy = new LinkedHashMap<>(slices);
        copy.put(op, slice);
        return new ModuleCatalogue(modules, Collections.unmodifiableMap(copy));
    }

    /** The family and width of {@code op} if it is a width of a block ({@link #withSlice}), else empty. */
    public java.util.Optional<Slice> slice(String op) {
        return java.util.Optional.ofNullable(slices.get(op));
    }

    /**
     * This catalogue with every module passed through {@code wrapper} when it is made ({@code wrapper} gets the op
     * name and the module, and returns the module to use, e.g. a {@link ForwardingModule} that counts its passes).
     */
    public ModuleCatalogue wrapped(java.util.function.BiFunction<String, Module, Module> wrapper) {
        Objects.requireNonNull(wrapper, "wrapper");
        Map<String, OpModule> copy = new LinkedHashMap<>();
        modules.forEach((op, module) -> copy.put(op, (params, name, in, out, stride) -> Objects.requireNonNull(
                wrapper.apply(op, module.create(params, name, in, out, stride)), "wrapper's module for op " + op)));
        return new ModuleCatalogue(Collections.unmodifiableMap(copy), slices);
    }

    /** Whether {@code op} has a module here. */
    public boolean contains(String op) {
        return modules.containsKey(op);
    }

    /** The op names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(modules.keySet());
    }

    /** Makes {@code op}'s module; an exception listing the known ops if it has none. */
    public Module create(ParameterSet params, String name, String op, int in, int out, int stride) {
        OpModule m = modules.get(op);
        if (m == null) {
            throw new IllegalArgumentException("no module for op '" + op + "'; ops with modules: " + names()
                    + " (add yours with ModuleCatalogue.with)");
        }
        return m.create(params, name, in, out, stride);
    }

    /** This catalogue as the op factory of a {@link GraphCell}. */
    public OpFactory asOpFactory() {
        return this::create;
    }

    private static ModuleCatalogue standardModules() {
        ModuleCatalogue c = empty()
                .with("skip_connect", (p, n, in, out, s) -> s == 1 && in == out ? Modules.identity()
                        : DartsModules.factorizedReduce(p, n + ".skip", in, out));
        for (int k : new int[] {1, 3, 5, 7}) {
            c = c.with("nor_conv_" + k + "x" + k,
                    (p, n, in, out, s) -> Modules.reluConvBn(p, n + ".conv" + k + "x" + k, in, out, k, s, true))
                    .with("conv_bn_relu_" + k + "x" + k, (p, n, in, out, s) -> Modules.sequence(
                            Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, k, s, k / 2, 1, 1)),
                            Modules.batchNorm(p, n + ".bn", out, true), Modules.relu(n + ".relu")));
        }
        for (String op : DartsModules.SUPPORTED) {
            if (!op.equals("skip_connect")) {
                c = c.with(op, (p, n, in, out, s) -> DartsModules.create(p, n, op, in, out, s));
            }
        }
        c = c.with("relu_conv_bn_1x1", (p, n, in, out, s) -> Modules.reluConvBn(p, n, in, out, 1, s, true))
                .with("factorized_reduce", (p, n, in, out, s) -> DartsModules.factorizedReduce(p, n, in, out))
                .with("conv_bn_3x3", ModuleCatalogue::convBn3x3)
                .with("res_block_3x3", ModuleCatalogue::residualBlock)
                .with("bn_relu_pool_linear", (p, n, in, classes, s) -> Modules.sequence(
                        Modules.batchNorm(p, n + ".bn", in, true), Modules.relu(n + ".relu"),
                        Modules.globalAveragePool(n + ".gap"), Modules.classifier(p, n + ".classifier", in, classes)))
                .with("pool_linear", ModuleCatalogue::poolLinear)
                .with("darts_auxiliary_head", (p, n, in, classes, s) -> DartsModules.auxiliaryHead(p, n, in, classes));
        return EnasMicroModules.addTo(EnasModules.addTo(ShuffleModules.addTo(MobileModules.addTo(c))));
    }

    private static ModuleCatalogue dartsSearchModules() {
        return DartsSearchModules.addTo(empty()).with("conv_bn_3x3", ModuleCatalogue::convBn3x3)
                .with("pool_linear", ModuleCatalogue::poolLinear);
    }

    private static Module convBn3x3(ParameterSet p, String n, int in, int out, int s) {
        return Modules.sequence(Modules.conv(p, n + ".conv", new GraphSink.ConvSpec(in, out, 3, s, 1, 1, 1)),
                Modules.batchNorm(p, n + ".bn", out, true));
    }

    private static Module poolLinear(ParameterSet p, String n, int in, int classes, int s) {
        return Modules.sequence(Modules.globalAveragePool(n + ".gap"),
                Modules.classifier(p, n + ".classifier", in, classes));
    }

    /**
     * NAS-Bench-201's residual block (a ResNet basic block, {@code ReLU-Conv3x3(stride)-BN -> ReLU-Conv3x3-BN}); the
     * shortcut as {@code org.nas4j.core.space.builder.StandardOps} counts it: at stride 2 the benchmark's
     * {@code AvgPool2x2(s2) -> Conv1x1}, else the identity or a {@code ReLU-Conv1x1-BN} to the new width.
     */
    private static Module residualBlock(ParameterSet p, String n, int in, int out, int stride) {
        Module main = Modules.sequence(Modules.reluConvBn(p, n + ".a", in, out, 3, stride, true),
                Modules.reluConvBn(p, n + ".b", out, out, 3, 1, true));
        Module shortcut;
        if (stride == 2) {
            shortcut = Modules.sequence(Modules.averagePool(n + ".shortcut.pool", 2, 2, 0, true),
                    Modules.conv(p, n + ".shortcut.conv", new GraphSink.ConvSpec(in, out, 1, 1, 0, 1, 1)));
        } else {
            shortcut = in == out ? Modules.identity() : Modules.reluConvBn(p, n + ".shortcut", in, out, 1, 1, true);
        }
        return Modules.residual(n, main, shortcut);
    }
}
