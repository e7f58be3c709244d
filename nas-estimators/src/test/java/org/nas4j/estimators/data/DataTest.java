package org.nas4j.estimators.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.random.SplitMix64;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class DataTest {

    @Test
    void bundledFashionMnistHasTheDocumentedSizesAndBalancedClasses() {
        TrainTest d = FashionMnist.bundled();
        assertEquals(10_000, d.train().size());
        assertEquals(2_000, d.test().size());
        assertEquals(28, d.train().height());
        int[] counts = new int[10];
        for (int i = 0; i < d.train().size(); i++) {
            counts[d.train().label(i)]++;
        }
        for (int c : counts) {
            assertTrue(c > 900 && c < 1100, "class count " + c);
        }
        float[] mean = d.normalized().train().channelStatistics()[0];
        assertEquals(0, mean[0], 1e-4);
    }

    @Test
    void fullFashionMnistIsReadFromADirectoryWhenPresent() throws Exception {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Path shared = Path.of("../../shared/data/fashion-mnist");
        Path found = Files.isDirectory(dir) ? dir : Files.isDirectory(shared) ? shared : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(found != null, "no full Fashion-MNIST on this machine");
        TrainTest full = FashionMnist.fromDirectory(found);
        assertEquals(60_000, full.train().size());
        assertEquals(10_000, full.test().size());
        // the bundled subset is the head of the full set
        float[] a = new float[784];
        float[] b = new float[784];
        full.train().copySample(1234, a, 0);
        FashionMnist.bundled().train().copySample(1234, b, 0);
        assertArrayEquals(a, b);
    }

    @Test
    void splitIsSeededAndDisjoint() {
        ImageDataset d = FashionMnist.bundled().test();
        ImageDataset[] s1 = d.split(0.25, 3);
        ImageDataset[] s2 = d.split(0.25, 3);
        assertEquals(1500, s1[0].size());
        assertEquals(500, s1[1].size());
        float[] x1 = new float[784];
        float[] x2 = new float[784];
        s1[1].copySample(7, x1, 0);
        s2[1].copySample(7, x2, 0);
        assertArrayEquals(x1, x2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(1.5, 1));
        assertEquals("validationFraction must be in (0, 1), but was 1.5", e.getMessage());
    }

    @Test
    void cropAndFlipMoveEveryPixelConsistently() {
        float[] x = new float[2 * 3 * 3];
        for (int i = 0; i < 9; i++) {
            x[i] = i + 1;
            x[9 + i] = i + 1;
        }
        new Augmentation(0, true).apply(x, 1, 2, 3, 3, new float[9], fixedBoolean(true));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, java.util.Arrays.copyOf(x, 9));
        Set<String> seen = new HashSet<>();
        SplitMix64 rng = new SplitMix64(1);
        for (int i = 0; i < 50; i++) {
            float[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            Augmentation.cropAndFlip(1).apply(y, 1, 1, 3, 3, new float[9], rng);
            seen.add(java.util.Arrays.toString(y));
        }
        assertTrue(seen.size() > 5, "crops seen: " + seen.size());
    }

    @Test
    void csvAndIteratorReaders(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,b,label\n1,2,0\n3,4,2\n");
        ImageDataset d = CsvDataset.read(csv, -1);
        assertEquals(2, d.size());
        assertEquals(3, d.classes());
        assertEquals(2, d.label(1));
        Files.writeString(csv, "1,2,0\n3,x,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.read(csv, -1));
        assertTrue(e.getMessage().contains("line 2, column 2: must be a number, but was 'x'"), e.getMessage());

        DataSet ds = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 2, 2),
                Nd4j.eye(4).getColumns(0, 1, 2, 3));
        ImageDataset it = IteratorDataset.read(new SingletonDataSetIterator(ds));
        assertEquals(4, it.size());
        assertEquals(3, it.label(3));
        assertEquals(2, it.height());
    }

    private static java.util.random.RandomGenerator fixedBoolean(boolean value) {
        return new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return value ? -1L : 0L;
            }

            @Override
            public boolean nextBoolean() {
                return value;
            }
        };
    }
}
