package org.nas4j.estimators.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Shape;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Latency tables: the fit to a CSV written here and to NAS-Bench-201's shared latency file, the sites of a
 * supernet's candidates, and a table measured on this backend.
 */
class LatencyTableTest {

    /** Two edges of 3 and 2 candidates; latencies exactly additive: 1.5 + (0, 2, 5)[a] + (0, 0.25)[b]. */
    private static Path additiveCsv(Path dir, boolean everyCandidate) throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,arch,device_ms,other"));
        double[] a = {0, 2, 5};
        double[] b = {0, 0.25};
        int id = 0;
        for (int i = 0; i < (everyCandidate ? 3 : 2); i++) {
            for (int j = 0; j < 2; j++) {
                lines.add(id++ + "," + i + "-" + j + "," + (1.5 + a[i] + b[j]) + ",x");
            }
        }
        Path csv = dir.resolve("latency.csv");
        Files.write(csv, lines);
        return csv;
    }

    private static int[] parsePath(String s) {
        return Arrays.stream(s.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void aCsvOfAdditiveLatenciesIsFittedExactly(@TempDir Path dir) throws IOException {
        Path csv = additiveCsv(dir, true);
        LatencyCsv.Fit fit = LatencyCsv.fit(csv, "arch", "device_ms", LatencyTableTest::parsePath,
                new int[] {3, 2}, new int[] {0, 0});
        assertEquals(6, fit.rows());
        LatencyTable t = fit.table();
        assertEquals(1.5, t.fixedMs(), 1e-12);
        assertArrayEquals(new double[] {0, 2, 5}, t.candidateMs()[0], 1e-12);
        assertArrayEquals(new double[] {0, 0.25}, t.candidateMs()[1], 1e-12);
        assertEquals(0.0, fit.rmsResidualMs(), 1e-12);
        assertEquals(1.0, fit.rSquared(), 1e-12);
        assertTrue(t.source().contains("device_ms"), t.source());
        // another pin splits the total differently and gives every architecture the same latency
        LatencyTable pinned = LatencyCsv.fit(csv, "arch", "device_ms", LatencyTableTest::parsePath,
                new int[] {3, 2}, new int[] {1, 0}).table();
        assertArrayEquals(new double[] {-2, 0, 3}, pinned.candidateMs()[0], 1e-12);
        assertEquals(3.5, pinned.fixedMs(), 1e-12);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(t.latencyMs(new int[] {i, j}), pinned.latencyMs(new int[] {i, j}), 1e-12);
            }
        }
    }

    @Test
    void csvMistakesAreNamed(@TempDir Path dir) throws IOException {
        Path csv = additiveCsv(dir, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyCsv.fit(csv, "arch",
                "phone_ms", LatencyTableTest::parsePath, new int[] {3, 2}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("no column 'phone_ms'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencyCsv.fit(csv, "arch", "other",
                LatencyTableTest::parsePath, new int[] {3, 2}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("must be a number of milliseconds, but was 'x'"), e.getMessage());
        Path partial = additiveCsv(Files.createDirectory(dir.resolve("partial")), false);
        e = assertThrows(IllegalArgumentException.class, () -> LatencyCsv.fit(partial, "arch", "device_ms",
                LatencyTableTest::parsePath, new int[] {3, 2}, new int[] {0, 0}));
        assertTrue(e.getMessage().contains("candidate 2 of edge 0 is in no row"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LatencyCsv.fit(csv, "arch", "device_ms",
                LatencyTableTest::parsePath, new int[] {3, 2}, new int[] {0, 2}));
        assertTrue(e.getMessage().contains("pinned[1] must be in [0, 2)"), e.getMessage());
    }

    /** The shared file, found beside the project (CI puts shared/ next to the repository). */
    private static Path sharedLatencyFile() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve("shared/data/nasbench201/nb201-latency-ms.csv");
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void theNasBench201FileIsFittedOverEveryCell() {
        Path csv = sharedLatencyFile();
        Assumptions.assumeTrue(csv != null, "shared/data/nasbench201/nb201-latency-ms.csv is not beside the project");
        LatencyCsv.Fit fit = LatencyCsv.nasBench201(csv, "raspi4_ms");
        assertEquals(15_625, fit.rows(), "5^6 cells");
        LatencyTable t = fit.table();
        assertEquals(6, t.edges());
        NasBench201Space space = NasBench201Space.standard();
        for (int e = 0; e < 6; e++) {
            assertEquals(5, t.candidates(e));
            assertEquals(0.0, t.latencyMs(e, NasBench201Space.OPS.indexOf("none")), "none is pinned");
        }
        // least squares: the residuals sum to 0 overall and over the rows of every candidate (normal equations)
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        List<String> header = List.of(lines.get(0).split(","));
        int arch = header.indexOf("arch_str");
        int col = header.indexOf("raspi4_ms");
        double total = 0;
        double scale = 0;
        double[][] byCandidate = new double[6][5];
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int[] path = space.parse(cells[arch]).vector();
            double measured = Double.parseDouble(cells[col]);
            double r = measured - t.latencyMs(path);
            total += r;
            scale += Math.abs(measured);
            for (int e = 0; e < 6; e++) {
                byCandidate[e][path[e]] += r;
            }
        }
        // each sum adds 15,625 residuals, each computed with a few roundings of values of size <= scale / rows
        double tol = 1e-9 * scale;
        assertEquals(0.0, total, tol);
        for (double[] edge : byCandidate) {
            for (double sum : edge) {
                assertEquals(0.0, sum, tol);
            }
        }
        assertTrue(fit.rmsResidualMs() >= 0 && fit.rSquared() <= 1, fit.toString());
    }

    @Test
    void nasBench201sChoiceVectorIsTheComposedSupernetsPath() {
        ComposedSpace composed = NasBench201Definition.of(NasBench201Space.standard());
        ComposedSupernet supernet = ComposedSupernet.compile(composed, PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        NasBench201Space space = NasBench201Space.standard();
        for (String cell : List.of("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1"
                + "|skip_connect~2|", "|none~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1"
                + "|nor_conv_3x3~2|")) {
            int[] vector = space.parse(cell).vector();
            assertArrayEquals(vector, supernet.path(Architecture.of(composed, vector)), cell);
        }
        // every cell edge runs in the 15 cells: 5 per stage, at 16x32x32, 32x16x16 and 64x8x8
        List<ComposedSupernet.Site> sites = supernet.sites(0, NasBench201Space.OPS.indexOf("nor_conv_3x3"));
        assertEquals(15, sites.size());
        Map<String, Integer> shapes = new TreeMap<>();
        for (ComposedSupernet.Site s : sites) {
            assertEquals("nor_conv_3x3", s.op());
            assertEquals(1, s.stride());
            assertEquals(s.input().channels(), s.outChannels());
            shapes.merge(s.input().toString(), 1, Integer::sum);
        }
        assertEquals(Map.of(new Shape(16, 32, 32).toString(), 5, new Shape(32, 16, 16).toString(), 5,
                new Shape(64, 8, 8).toString(), 5), shapes);
    }

    /** Stem, a choice between a 5x5 convolution and a skip, a choice between a 1x1 and a 3x3 convolution, head. */
    static ComposedSpace layers() {
        return SpaceBuilder.create("latency-layers").input(3, 32, 32).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(16))
                .choice("a", List.of("nor_conv_5x5", "skip_connect"))
                .choice("b", List.of("nor_conv_1x1", "nor_conv_3x3"))
                .head("pool_linear").build();
    }

    @Test
    void aMeasuredTableIsPositiveAndOrdersAConvolutionAboveASkip() {
        ComposedSupernet supernet = ComposedSupernet.compile(layers(), PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        LatencyTable t = LatencyMeasurement.builder().warmUp(3).runs(11).fixedSamples(2).seed(4).build()
                .table(supernet, ModuleCatalogue.standard());
        assertEquals(2, t.edges());
        for (int e = 0; e < 2; e++) {
            for (int k = 0; k < 2; k++) {
                double ms = t.latencyMs(e, k);
                assertTrue(ms > 0 && Double.isFinite(ms), "edge " + e + " candidate " + k + ": " + ms);
            }
        }
        assertTrue(t.fixedMs() >= 0 && Double.isFinite(t.fixedMs()), "fixed: " + t.fixedMs());
        // 16 -> 16 channels at 32x32: a 5x5 convolution is 6.5M multiply-adds, the skip returns its input
        assertTrue(t.latencyMs(0, 0) > t.latencyMs(0, 1), t.toString());
        assertTrue(t.source().contains("runs=11"), t.source());
    }

    @Test
    void aCellSupernetsZeroOpCostsNothingAndNonOpEdgesAreRefused() {
        ComposedSpace nb201 = NasBench201Definition.of(NasBench201Space.builder().channels(4).cellsPerStage(1)
                .inputChannels(1).imageSize(8).build());
        ComposedSupernet supernet = ComposedSupernet.compile(nb201, PathPolicies.mixed(),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        LatencyTable t = LatencyMeasurement.builder().warmUp(1).runs(3).fixedSamples(1).build()
                .table(supernet, ModuleCatalogue.standard());
        assertEquals(6, t.edges());
        for (int e = 0; e < 6; e++) {
            assertEquals(0.0, t.latencyMs(e, NasBench201Space.OPS.indexOf("none")));
            for (String op : List.of("skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3")) {
                assertTrue(t.latencyMs(e, NasBench201Space.OPS.indexOf(op)) > 0, op + " on edge " + e);
            }
        }
        ComposedSpace widths = SpaceBuilder.create("widths").input(1, 8, 8).classes(3).value("w", 4, 6)
                .layer("stem", "conv_bn_3x3", Width.value("w"))
                .choice("a", List.of("nor_conv_3x3", "skip_connect")).head("pool_linear").build();
        ComposedSupernet sliced = ComposedSupernet.compile(widths, PathPolicies.singlePath(1),
                ModuleCatalogue.standard(), DataType.FLOAT, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyMeasurement.builder().runs(1).build().table(sliced, ModuleCatalogue.standard()));
        assertTrue(e.getMessage().contains("channel choice: its candidates are not ops"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyMeasurement.builder().runs(0));
    }
}
