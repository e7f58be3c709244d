package org.nas4j.estimators.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled time series as read from a {@code .ts} file ({@link TsFormat}): each series has {@link #channels()}
 * channels of one length, which may differ between series. Immutable; every operation returns a new dataset.
 *
 * <p>A network needs one fixed, finite shape, so {@link #toImageDataset(int)} lays each series out as a
 * {@code channels x 1 x length} sample and pads a shorter series with zeros after its end. The archive itself
 * marks the missing tail of unequal-length series with NaN; zeros are used here because they are finite and, after
 * {@link #normalized} (applied to the real values only, before padding), equal to the channel's training mean, so
 * the padding carries no signal.
 *
 * <pre>{@code
 * TsDataset train = TsFormat.read(dir.resolve("JapaneseVowels_TRAIN.ts"));
 * float[][] stats = train.channelStatistics();
 * ImageDataset padded = train.normalized(stats[0], stats[1]).toImageDataset(train.maxLength());  // 12 x 1 x 29
 * }</pre>
 */
public final class TsDataset {
    private final String problemName;
    private final List<String> classLabels;
    private final int channels;
    private final List<float[][]> series;
    private final int[] labels;

    /**
     * @param problemName the {@code @problemName} of the file
     * @param classLabels the class labels in the order of {@code @classLabel}; label {@code i} of a series is an
     *                    index into it
     * @param channels    the channels of every series
     * @param series      per series, {@code [channel][time]}, every channel of one series of one length
     * @param labels      per series, its class index
     */
    public TsDataset(String problemName, List<String> classLabels, int channels, List<float[][]> series,
            int[] labels) {
        this.problemName = Objects.requireNonNull(problemName, "problemName");
        this.classLabels = List.copyOf(classLabels);
        if (this.classLabels.size() < 2) {
            throw new IllegalArgumentException("classLabels must name at least 2 classes, but was " + classLabels);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, but was " + channels);
        }
        if (series.size() != labels.length) {
            throw new IllegalArgumentException("series and labels must have the same size, but had " + series.size()
                    + " and " + labels.length);
        }
        List<float[][]> copy = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            float[][] s = series.get(i);
            if (s.length != channels || s[0].length < 1) {
                throw new IllegalArgumentException("series " + i + " must have " + channels
                        + " non-empty channels, but had " + s.length);
            }
            float[][] c = new float[channels][];
            for (int ch = 0; ch < channels; ch++) {
                if (s[ch].length != s[0].length) {
                    throw new IllegalArgumentException("series " + i + ": channel " + ch + " has length "
                            + s[ch].length + ", channel 0 has " + s[0].length);
                }
                c[ch] = s[ch].clone();
            }
            if (labels[i] < 0 || labels[i] >= this.classLabels.size()) {
                throw new IllegalArgumentException("label of series " + i + " must be in [0, "
                        + this.classLabels.size() + "), but was " + labels[i]);
            }
            copy.add(c);
        }
        this.channels = channels;
        this.series = List.copyOf(copy);
        this.labels = labels.clone();
    }

    public String problemName() {
        return problemName;
    }

    /** The class labels as the file names them; class index {@code i} is {@code classLabels().get(i)}. */
    public List<String> classLabels() {
        return classLabels;
    }

    public int channels() {
        return channels;
    }

    /** The number of series. */
    public int size() {
        return labels.length;
    }

    /** The length of series {@code i}. */
    public int length(int i) {
        return series.get(i)[0].length;
    }

    /** The length of the longest series. */
    public int maxLength() {
        int max = 0;
        for (float[][] s : series) {
            max = Math.max(max, s[0].length);
        }
        return max;
    }

    /** Value {@code t} of channel {@code channel} of series {@code i}. */
    public float value(int i, int channel, int t) {
        return series.get(i)[channel][t];
    }

    /** The class index of series {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Per-channel mean and standard deviation over every value of every series (padding excluded). */
    public float[][] channelStatistics() {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double sq = 0;
            long count = 0;
            for (float[][] s : series) {
                for (float v : s[c]) {
                    sum += v;
                    sq += (double) v * v;
                    count++;
                }
            }
            double m = sum / count;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(1e-12, sq / count - m * m));
        }
        return new float[][] {mean, std};
    }

    /** This dataset with each channel shifted by {@code mean} and divided by {@code std}. */
    public TsDataset normalized(float[] mean, float[] std) {
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean and std must have " + channels + " entries, but had "
                    + mean.length + " and " + std.length);
        }
        List<float[][]> out = new ArrayList<>(series.size());
        for (float[][] s : series) {
            float[][] n = new float[channels][];
            for (int c = 0; c < channels; c++) {
                if (!(std[c] > 0)) {
                    throw new IllegalArgumentException("std of channel " + c + " must be > 0, but was " + std[c]);
                }
                n[c] = new float[s[c].length];
                for (int t = 0; t < n[c].length; t++) {
                    n[c][t] = (s[c][t] - mean[c]) / std[c];
                }
            }
            out.add(n);
        }
        return new TsDataset(problemName, classLabels, channels, out, labels);
    }

    /**
     * The series as {@code channels x 1 x length} samples (a 1-D signal as an image of height 1), each padded
     * with zeros after its end.
     *
     * @param length the common length, at least {@link #maxLength()}
     */
    public ImageDataset toImageDataset(int length) {
        if (length < maxLength()) {
            throw new IllegalArgumentException("length must be >= the longest series (" + maxLength()
                    + "), but was " + length);
        }
        int sample = channels * length;
        float[] values = new float[size() * sample];
        for (int i = 0; i < size(); i++) {
            float[][] s = series.get(i);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(s[c], 0, values, i * sample + c * length, s[c].length);
            }
        }
        return new ImageDataset(values, labels.clone(), channels, 1, length, classLabels.size());
    }

    @Override
    public String toString() {
        return "TsDataset[" + problemName + ": " + size() + " series, " + channels + " channels, max length "
                + maxLength() + ", " + classLabels.size() + " classes]";
    }
}
