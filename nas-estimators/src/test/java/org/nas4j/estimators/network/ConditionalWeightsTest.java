package org.nas4j.estimators.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.data.BrightnessImages;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.GradientCheck;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.supernet.EdgePath;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link WeightSharing#CONDITIONAL} on NAS-Bench-201: the copies per previous op, which copy a path runs and trains,
 * the stand-alone network of a fixed path, checkpoints, and the combinations it refuses.
 *
 * <p>The rule written out here, independently of the compiler: in NAS-Bench-201's network the op choices run cell
 * by cell, each cell's six edges in the arch string's order, so the edge before edge {@code j > 0} of a cell is
 * edge {@code j - 1} of that cell, and the edge before edge 0 is edge 5 of the cell before (none for the first
 * cell). A candidate op with weights at edge {@code j} has one copy per op of that previous edge, named
 * {@code ...edge<j>~<op>|after<k>=<op k>...}.
 */
class ConditionalWeightsTest {

    private static final Pattern COPY = Pattern.compile("\\.edge(\\d)~([a-z0-9_]+)\\|after(\\d)=([a-z0-9_]+)\\.");
    private static final Pattern OP = Pattern.compile("\\.edge(\\d)~([a-z0-9_]+)[.|]");

    /** skip, conv1x1, conv3x3 on consecutive edges: every conv follows another op than the one before it. */
    private static final int[] PATH = {3, 1, 3, 2, 3, 2};

    /** C = 2, one cell per stage, 3 classes, 1x8x8 images. */
    private static ComposedSpace tiny() {
        return NasBench201Definition.of(NasBench201Space.builder().channels(2).cellsPerStage(1).classes(3)
                .inputChannels(1).imageSize(8).build());
    }

    private static ComposedSupernet conditional(ComposedSpace space, PathPolicy.Factory policy, DataType type,
            long seed) {
        return ComposedSupernet.compile(space, policy, ModuleCatalogue.standard(), type, seed,
                WeightSharing.CONDITIONAL);
    }

    /** The copy index of a conditional parameter, the op it belongs to and the edge it is at; null for others. */
    private record Copy(int edge, String op, int after) {
        static Copy of(String name) {
            Matcher m = COPY.matcher(name);
            if (!m.find()) {
                return null;
            }
            int after = Integer.parseInt(m.group(3));
            assertEquals(NasBench201Space.OPS.get(after), m.group(4), "copy k is named after op k: " + name);
            return new Copy(Integer.parseInt(m.group(1)), m.group(2), after);
        }

        /** The edge before this one: the previous edge of the cell, or edge 5 of the cell before. */
        int before() {
            return edge == 0 ? 5 : edge - 1;
        }

        /** Whether {@code path} selects this copy (the op before took its candidate). */
        boolean selectedBy(int[] path) {
            return path[before()] == after;
        }

        /** Whether {@code path} runs this copy: its op is on the path, and the copy is selected. */
        boolean runBy(int[] path) {
            return NasBench201Space.OPS.get(path[edge]).equals(op) && selectedBy(path);
        }
    }

    @Test
    void onNasBench201AtSixteenChannelsTheCopiesAdd6494464Parameters() {
        // standard NAS-Bench-201: C = 16, 5 cells per stage at 16, 32 and 64 channels, 6 edges per cell: 90 places.
        // Ops with weights: nor_conv_1x1 (C*C + 2C with the affine batch norm) and nor_conv_3x3 (9C*C + 2C);
        // none, skip_connect and avg_pool_3x3 have none. An edge's two convolutions hold 10C^2 + 4C: 2,624 at
        // C = 16, 10,368 at 32, 41,216 at 64. Every place but the network's first (cell 0, edge 0) follows an op
        // choice of 5 candidates, so its convolutions hold 5 copies: 4 more than the plain supernet. Extra:
        // 4 * (30 * 2,624 - 2,624 + 30 * 10,368 + 30 * 41,216) = 4 * 1,623,616 = 6,494,464.
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.standard());
        ComposedSupernet plain = ComposedSupernet.compile(space, PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.FLOAT, 3);
        ComposedSupernet split = conditional(space, PathPolicies.singlePath(1), DataType.FLOAT, 3);
        assertEquals(4L * (29 * 2_624 + 30 * 10_368 + 30 * 41_216), split.weights().size() - plain.weights().size());
        assertEquals(6_494_464L, split.weights().size() - plain.weights().size());
        assertEquals(WeightSharing.PLAIN, plain.weightSharing());
        assertEquals(WeightSharing.CONDITIONAL, split.weightSharing());
    }

    @Test
    void everyPlainWeightHasFiveCopiesButThoseOfTheFirstEdgeAndTheFixedLayers() {
        ComposedSpace space = tiny();
        ComposedSupernet plain = ComposedSupernet.compile(space, PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.DOUBLE, 3);
        ComposedSupernet split = conditional(space, PathPolicies.singlePath(1), DataType.DOUBLE, 3);
        Map<String, Integer> copies = new HashMap<>();
        for (Parameter p : split.weights().parameters()) {
            copies.merge(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", ""), 1, Integer::sum);
        }
        String firstCell = null;
        for (Parameter p : plain.weights().parameters()) {
            int at = p.name().indexOf(".edge0~");
            if (firstCell == null && at >= 0) {
                firstCell = p.name().substring(0, at);
            }
            boolean single = !p.name().contains("~") || p.name().startsWith(firstCell + ".edge0~");
            assertEquals(Integer.valueOf(single ? 1 : 5), copies.remove(p.name()), p.name());
        }
        assertTrue(copies.isEmpty(), "no weights but the plain ones and their copies: " + copies.keySet());
        // the copies start equal: one initialisation, copied
        Map<String, INDArray> first = new HashMap<>();
        for (Parameter p : split.weights().parameters()) {
            INDArray seen = first.putIfAbsent(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", ""), p.value());
            if (seen != null) {
                assertEquals(seen, p.value(), p.name());
            }
        }
    }

    @Test
    void aPathComputesThePlainSupernetWithTheSelectedCopiesWeights() {
        ComposedSpace space = tiny();
        ComposedSupernet plain = ComposedSupernet.compile(space, PathPolicies.fixed(PATH),
                ModuleCatalogue.standard(), DataType.DOUBLE, 5);
        ComposedSupernet split = conditional(space, PathPolicies.singlePath(2), DataType.DOUBLE, 6);
        Map<String, Parameter> plainByName = byName(plain);
        for (Parameter p : split.weights().parameters()) {
            Copy c = Copy.of(p.name());
            INDArray value = plainByName.get(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", "")).value();
            // a copy the path does not select gets other weights: the output must not read them
            p.value().assign(c == null || c.selectedBy(PATH) ? value : value.mul(-3).add(1));
        }
        split.usePath(PATH);
        INDArray x = GradientCheck.random(4, 2, 1, 8, 8);
        for (Mode mode : new Mode[] {Mode.TRAINING, Mode.INFERENCE}) {
            INDArray expected = plain.forward(x, mode).dup();
            assertEquals(0.0, maxDifference(expected, split.forward(x, mode)), mode.toString());
        }
    }

    @Test
    void onlyTheSelectedCopyGetsAGradientAndItIsTheFiniteDifference() {
        ComposedSupernet net = conditional(tiny(), PathPolicies.singlePath(2), DataType.DOUBLE, 7);
        net.usePath(PATH);
        INDArray x = GradientCheck.random(4, 2, 1, 8, 8);
        INDArray r = GradientCheck.random(99, 2, 3);
        net.forward(x, Mode.TRAINING);
        net.backward(r);
        int checked = 0;
        double base = loss(net, x, r);
        for (Parameter p : net.weights().parameters()) {
            Copy c = Copy.of(p.name());
            if (c == null) {
                continue;
            }
            assertEquals(c.runBy(PATH), p.hasGradient(), p.name());
            if (!NasBench201Space.OPS.get(PATH[c.edge()]).equals(c.op())) {
                continue;
            }
            INDArray flat = p.value().reshape(p.length());
            if (!c.runBy(PATH)) {
                // a copy of an op on the path, not selected: its weights do not reach the loss
                double orig = flat.getDouble(0);
                flat.putScalar(0, orig + 1.0);
                assertEquals(base, loss(net, x, r), p.name() + ": a copy off the path");
                flat.putScalar(0, orig);
                continue;
            }
            INDArray gradient = p.gradient().dup().reshape(p.length());
            for (long i = 0; i < p.length(); i += Math.max(1, (p.length() + 1) / 2)) {
                double orig = flat.getDouble(i);
                flat.putScalar(i, orig + 1e-6);
                double plus = loss(net, x, r);
                flat.putScalar(i, orig - 1e-6);
                double minus = loss(net, x, r);
                flat.putScalar(i, orig);
                double a = gradient.getDouble(i);
                assertEquals(a, (plus - minus) / 2e-6, 1e-6 + 1e-4 * Math.abs(a), p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked);
        GradientCheck.check(in -> net.forward(in, Mode.TRAINING), net::backward, null, x, 10);
    }

    @Test
    void changingThePreviousEdgesOpChangesTheCopyThatRuns() {
        // edge 2 runs nor_conv_3x3 after edge 1's skip_connect (A), or after edge 1's nor_conv_1x1 (B)
        int[] a = PATH.clone();
        int[] b = PATH.clone();
        b[1] = 2;
        for (int[] path : List.of(a, b)) {
            ComposedSupernet net = conditional(tiny(), PathPolicies.singlePath(2), DataType.DOUBLE, 7);
            net.usePath(path);
            net.backward(net.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING).dup());
            for (Parameter p : net.weights().parameters()) {
                if (p.name().contains(".edge2~nor_conv_3x3|after1=skip_connect.")) {
                    assertEquals(path == a, p.hasGradient(), p.name());
                }
                if (p.name().contains(".edge2~nor_conv_3x3|after2=nor_conv_1x1.")) {
                    assertEquals(path == b, p.hasGradient(), p.name());
                }
            }
        }
        ComposedSupernet net = conditional(tiny(), PathPolicies.singlePath(2), DataType.DOUBLE, 7);
        INDArray x = GradientCheck.random(4, 2, 1, 8, 8);
        net.usePath(a);
        INDArray beforeA = net.forward(x, Mode.INFERENCE).dup();
        net.usePath(b);
        INDArray beforeB = net.forward(x, Mode.INFERENCE).dup();
        for (Parameter p : net.weights().parameters()) {
            if (p.name().contains(".edge2~nor_conv_3x3|after2=nor_conv_1x1.")) {
                p.value().addi(0.5);
            }
        }
        net.usePath(a);
        assertEquals(0.0, maxDifference(beforeA, net.forward(x, Mode.INFERENCE)), "A does not read B's copy");
        net.usePath(b);
        assertNotEquals(0.0, maxDifference(beforeB, net.forward(x, Mode.INFERENCE)), "B reads its copy");
    }

    @Test
    void aFixedPathGivesTheStandAloneNetworkWithTheSelectedCopiesWeights() {
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1)
                .inputChannels(1).imageSize(8).build());
        Architecture a = Architecture.of(space, PATH);
        ComposedSupernet split = conditional(space, PathPolicies.fixed(PATH), DataType.DOUBLE, 5);
        TrainableNetwork alone = new SpaceCompiler(space).dataType(DataType.DOUBLE).build(a, 9);
        Map<String, Parameter> aloneByName = new HashMap<>();
        for (Parameter p : alone.parameters().parameters()) {
            aloneByName.put(p.name(), p);
        }
        int copied = 0;
        long seed = 0;
        for (Parameter p : split.weights().parameters()) {
            p.value().assign(GradientCheck.random(seed++, p.shape()));   // every copy its own weights
            Matcher op = OP.matcher(p.name());
            Copy c = Copy.of(p.name());
            if (op.find() && !NasBench201Space.OPS.get(PATH[Integer.parseInt(op.group(1))]).equals(op.group(2))
                    || c != null && !c.selectedBy(PATH)) {
                continue;
            }
            aloneByName.get(p.name().replaceAll("~[a-z0-9_]+(\\|after\\d=[a-z0-9_]+)?", "")).value()
                    .assign(p.value());
            copied++;
        }
        assertEquals(alone.parameters().parameters().size(), copied);
        INDArray x = GradientCheck.random(3, 2, 1, 8, 8);
        for (Mode mode : new Mode[] {Mode.INFERENCE, Mode.TRAINING}) {
            INDArray expected = alone.forward(x, mode).dup();
            double diff = maxDifference(expected, split.forward(x, mode));
            assertTrue(diff < 1e-10, mode + ": " + diff);
        }
    }

    @Test
    void sharedCopiesTrainAsOneOpUntilTheSplitCopiesTheFirstIntoTheOthers() {
        ComposedSupernet net = conditional(tiny(), PathPolicies.singlePath(2), DataType.DOUBLE, 7);
        assertTrue(net.conditionalWeightsSplit());
        assertEquals(1.0, net.states().get("conditional-weights.split")[0]);
        net.shareConditionalWeights();
        assertEquals(0.0, net.states().get("conditional-weights.split")[0]);
        net.usePath(PATH);
        net.backward(net.forward(GradientCheck.random(4, 2, 1, 8, 8), Mode.TRAINING).dup());
        for (Parameter p : net.weights().parameters()) {
            Copy c = Copy.of(p.name());
            if (c != null) {
                boolean opRuns = NasBench201Space.OPS.get(PATH[c.edge()]).equals(c.op());
                assertEquals(opRuns && c.after() == 0, p.hasGradient(), "shared: the first copy runs, " + p.name());
                if (c.after() == 0) {
                    p.value().addi(0.25);    // as if trained
                }
            }
        }
        net.splitConditionalWeights();
        assertTrue(net.conditionalWeightsSplit());
        Map<String, INDArray> first = new HashMap<>();
        for (Parameter p : net.weights().parameters()) {
            INDArray seen = first.putIfAbsent(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", ""), p.value());
            if (seen != null) {
                assertEquals(seen, p.value(), "split: every copy starts as the first, " + p.name());
                p.value().addi(1.0);
            }
        }
        net.splitConditionalWeights();    // split already: nothing is copied
        for (Parameter p : net.weights().parameters()) {
            INDArray seen = first.get(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", ""));
            if (seen != p.value()) {
                assertEquals(seen.add(1.0), p.value(), p.name());
            }
        }
        ComposedSupernet plain = ComposedSupernet.compile(tiny(), PathPolicies.singlePath(2),
                ModuleCatalogue.standard(), DataType.DOUBLE, 7);
        assertEquals("the supernet of space '" + tiny().name() + "' has plain weights: compile it with"
                + " WeightSharing.CONDITIONAL", assertThrows(IllegalStateException.class,
                plain::shareConditionalWeights).getMessage());
        assertFalse(plain.conditionalWeightsSplit());
    }

    @Test
    void aTrainerResumedFromACheckpointKeepsTheCopiesAndWhetherTheyAreShared(@TempDir Path dir) throws Exception {
        // UniNAS' schedule: shared in epoch 0, split at the start of epoch 1; the checkpoint is written while shared
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder().channels(2).cellsPerStage(1)
                .inputChannels(1).imageSize(16).build());
        ImageDataset data = BrightnessImages.tenClasses(64, 1, 16);
        SupernetTrainer whole = trainer(space, data, true);
        whole.trainEpoch(() -> false).orElseThrow();
        whole.trainEpoch(() -> false).orElseThrow();
        SupernetTrainer first = trainer(space, data, true);
        first.trainEpoch(() -> false).orElseThrow();
        first.save(dir.resolve("c.bin"), "");
        SupernetTrainer resumed = trainer(space, data, false);
        ComposedSupernet net = (ComposedSupernet) resumed.supernet();
        assertTrue(net.conditionalWeightsSplit());
        resumed.restore(dir.resolve("c.bin"));
        assertFalse(net.conditionalWeightsSplit(), "restored: shared, as saved");
        resumed.trainEpoch(() -> false).orElseThrow();
        assertTrue(net.conditionalWeightsSplit());
        assertArrayEquals(whole.supernet().weights().values().toFloatVector(),
                resumed.supernet().weights().values().toFloatVector());
        // the copies of one op trained apart after the split: at least one pair differs
        Map<String, INDArray> firstCopy = new HashMap<>();
        boolean apart = false;
        for (Parameter p : net.weights().parameters()) {
            INDArray seen = firstCopy.putIfAbsent(p.name().replaceAll("\\|after\\d=[a-z0-9_]+", ""), p.value());
            apart |= seen != null && !seen.equals(p.value());
        }
        assertTrue(apart);
        // a plain supernet's trainer does not take the checkpoint
        SupernetTrainer plain = SupernetTrainer.builder(ComposedSupernet.compile(space, PathPolicies.singlePath(3),
                ModuleCatalogue.standard(), DataType.FLOAT, 4), data).architectureFraction(0).epochs(2)
                .stepsPerEpoch(3).batchSize(8).seed(5).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.restore(dir.resolve("c.bin")))
                .getMessage().contains("was written by a different trainer"));
    }

    /** A trainer of a conditional supernet whose copies split at epoch 1 ({@code shared}: shared until then). */
    private static SupernetTrainer trainer(ComposedSpace space, ImageDataset data, boolean shared) {
        ComposedSupernet net = conditional(space, PathPolicies.singlePath(3), DataType.FLOAT, 4);
        if (shared) {
            net.shareConditionalWeights();
        }
        return SupernetTrainer.builder(net, data).architectureFraction(0).epochs(2).stepsPerEpoch(3).batchSize(8)
                .seed(5).onEpochStart(e -> {
                    if (e >= 1) {
                        net.splitConditionalWeights();
                    }
                }).build();
    }

    @Test
    void policiesWithSeveralOpsPerEdgeOrArchitectureWeightsAndOtherChoicesAreRefused() {
        ComposedSpace space = tiny();
        Map<String, PathPolicy.Factory> refused = Map.of("MixedPolicy", PathPolicies.mixed(),
                "GdasPolicy", PathPolicies.gdas(1, pass -> 5.0), "ProxylessPolicy", PathPolicies.proxyless(1),
                "PathDropoutPolicy", PathPolicies.scheduledPathDropout(1));
        for (Map.Entry<String, PathPolicy.Factory> e : refused.entrySet()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> conditional(space, e.getValue(), DataType.FLOAT, 1));
            assertEquals("weightSharing CONDITIONAL needs one op per edge and pass from a policy without"
                    + " architecture weights (singlePath, fixed, or a path set with usePath: the copy an op runs is"
                    + " chosen by the one op of the edge before it), but the policy was " + e.getKey(),
                    error.getMessage());
        }
        IllegalArgumentException cells = assertThrows(IllegalArgumentException.class,
                () -> conditional(ComposedSpaces.cells(), PathPolicies.singlePath(1), DataType.FLOAT, 1));
        assertTrue(cells.getMessage().startsWith("weightSharing CONDITIONAL takes spaces whose choices are op"
                + " choices, but the nodes of cell step '"), cells.getMessage());
        assertTrue(cells.getMessage().endsWith("' of space 'cells' are relaxed as DARTS does (an edge per candidate"
                + " state)"), cells.getMessage());
        ComposedSpace widths = SpaceBuilder.create("widths").input(1, 8, 8).value("width", 4, 6)
                .layer("stem", "conv_bn_3x3", Width.value("width"))
                .choice("a", List.of("nor_conv_3x3", "skip_connect")).head("pool_linear").build();
        assertEquals("weightSharing CONDITIONAL takes spaces whose choices are op choices, but choice 'width' of"
                + " space 'widths' is a channel choice", assertThrows(IllegalArgumentException.class,
                () -> conditional(widths, PathPolicies.singlePath(1), DataType.FLOAT, 1)).getMessage());
        // a policy of its own that runs two ops of an edge: refused at the pass, naming the edge
        PathPolicy.Factory two = (params, edges, ops) -> new PathPolicy() {
            @Override
            public void beginPass(Mode mode) {
            }

            @Override
            public EdgePath path(int edge) {
                return new EdgePath(new int[] {2, 3}, new double[] {0.5, 0.5});
            }
        };
        ComposedSupernet net = conditional(space, two, DataType.FLOAT, 1);
        IllegalStateException pass = assertThrows(IllegalStateException.class,
                () -> net.forward(GradientCheck.random(1, 2, 1, 8, 8).castTo(DataType.FLOAT), Mode.TRAINING));
        assertTrue(pass.getMessage().contains("which needs one op per pass, but the policy gave EdgePath[2, 3]"),
                pass.getMessage());
    }

    private static Map<String, Parameter> byName(ComposedSupernet net) {
        Map<String, Parameter> m = new HashMap<>();
        for (Parameter p : net.weights().parameters()) {
            m.put(p.name(), p);
        }
        return m;
    }

    private static double loss(ComposedSupernet net, INDArray x, INDArray r) {
        return net.forward(x, Mode.TRAINING).mul(r).sumNumber().doubleValue();
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
    }
}
