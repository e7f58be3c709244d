package org.nas4j.estimators.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A UEA-UCR classification problem from a folder of {@code .ts} files named {@code <name>_TRAIN.ts} and
 * {@code <name>_TEST.ts} (as ../shared/data/ucr and the archive's downloads): read, normalised per channel with
 * the training set's statistics (as POPNASv3's time-series preprocessing, a normalisation of each feature over the
 * training set), and padded with zeros to the longest series of both files ({@link TsDataset}). Nothing is
 * downloaded.
 *
 * <pre>{@code
 * TrainTest gunPoint = UcrArchive.load(Path.of("../shared/data/ucr"), "GunPoint");   // 1 x 1 x 150 samples
 * }</pre>
 */
public final class UcrArchive {
    private UcrArchive() {
    }

    /** The normalised, padded train and test sets of problem {@code name} in {@code directory}. */
    public static TrainTest load(Path directory, String name) throws IOException {
        TsDataset train = TsFormat.read(file(directory, name, "TRAIN"));
        TsDataset test = TsFormat.read(file(directory, name, "TEST"));
        if (train.channels() != test.channels()) {
            throw new IOException(name + ": the training set has " + train.channels() + " channels, the test set "
                    + test.channels());
        }
        if (!train.classLabels().equals(test.classLabels())) {
            throw new IOException(name + ": the training set's @classLabel " + train.classLabels()
                    + " differs from the test set's " + test.classLabels());
        }
        float[][] stats = train.channelStatistics();
        int length = Math.max(train.maxLength(), test.maxLength());
        return new TrainTest(train.normalized(stats[0], stats[1]).toImageDataset(length),
                test.normalized(stats[0], stats[1]).toImageDataset(length));
    }

    private static Path file(Path directory, String name, String split) throws IOException {
        Path f = directory.resolve(name + "_" + split + ".ts");
        if (!Files.isRegularFile(f)) {
            throw new IOException("no " + split.toLowerCase(java.util.Locale.ROOT) + " file for problem '" + name
                    + "': " + f.toAbsolutePath() + " does not exist");
        }
        return f;
    }
}
