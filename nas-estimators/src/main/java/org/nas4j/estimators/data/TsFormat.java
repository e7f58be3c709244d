package org.nas4j.estimators.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code .ts} time-series classification format of sktime and the UEA-UCR archive.
 *
 * <p>The file: comment lines start with {@code #}; then headers, one per line, case-insensitive:
 * {@code @problemName <name>}, {@code @timeStamps false}, {@code @missing true|false},
 * {@code @univariate true|false}, {@code @dimensions <n>} (or {@code @dimension}), {@code @equalLength true|false},
 * {@code @seriesLength <n>}, {@code @classLabel true <label> <label> ...}; then {@code @data} and one series per
 * line: each channel's values comma-separated, a {@code :} between channels and before the class label.
 * {@code ?} is a missing value, allowed only when {@code @missing true}, and read as 0 (the padding value, see
 * {@link TsDataset}). Blank lines are skipped.
 *
 * <p>Not supported, with a named error: {@code @timeStamps true} (values written as {@code (time,value)}),
 * {@code @classLabel false} and {@code @targetLabel} (unlabelled or regression data): nas4j classifies.
 *
 * <p>Every breach of the format is a {@link TsFormatException} naming the line and the field, e.g.
 * {@code bad.ts line 9, series 2, channel 0, value 5: 'x1' is not a number}.
 */
public final class TsFormat {
    private TsFormat() {
    }

    /** Reads {@code file}; the error messages name it by its file name. */
    public static TsDataset read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.getFileName().toString());
        }
    }

    /** Reads {@code text}, a whole {@code .ts} file; {@code source} names it in error messages. */
    public static TsDataset parse(String text, String source) throws TsFormatException {
        try {
            return read(new BufferedReader(new StringReader(text)), source);
        } catch (TsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading a string failed", e);
        }
    }

    private static TsDataset read(BufferedReader in, String source) throws IOException {
        Header header = new Header(source);
        List<float[][]> series = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        boolean data = false;
        int lineNumber = 0;
        for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!data) {
                if (!line.startsWith("@")) {
                    throw new TsFormatException(source, lineNumber, "header", "expected a header starting with '@'"
                            + " or '@data' before the series, but found '" + abbreviate(line) + "'");
                }
                data = header.accept(line, lineNumber);
                continue;
            }
            if (line.startsWith("@")) {
                throw new TsFormatException(source, lineNumber, "header", "header '" + abbreviate(line)
                        + "' after @data; headers must come before it");
            }
            int index = series.size();
            series.add(header.series(line, lineNumber, index));
            labels.add(header.label(line, lineNumber, index));
        }
        if (!data) {
            throw new TsFormatException(source, 0, "@data", "the file has no @data line");
        }
        if (series.isEmpty()) {
            throw new TsFormatException(source, 0, "@data", "no series after @data");
        }
        return new TsDataset(header.problemName, header.classLabels, header.dimensions, series,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The headers read so far, and the checks of each series line against them. */
    private static final class Header {
        private final String source;
        private String problemName;
        private boolean missing;
        private Boolean univariate;
        private int dimensions;
        private int dimensionsLine;
        private Boolean equalLength;
        private int seriesLength;
        private List<String> classLabels;
        private int firstLength = -1;

        Header(String source) {
            this.source = source;
        }

        /** Reads one header line; true for {@code @data}. */
        boolean accept(String line, int n) throws TsFormatException {
            String[] words = line.split("\\s+");
            String tag = words[0].toLowerCase(Locale.ROOT);
            switch (tag) {
                case "@problemname" -> problemName = single(words, n);
                case "@timestamps" -> {
                    if (bool(words, n)) {
                        throw new TsFormatException(source, n, words[0], "time-stamped series are not supported;"
                                + " write the values without time stamps and '@timeStamps false'");
                    }
                }
                case "@missing" -> missing = bool(words, n);
                case "@univariate" -> univariate = bool(words, n);
                case "@dimensions", "@dimension" -> {
                    dimensions = positive(words, n);
                    dimensionsLine = n;
                }
                case "@equallength" -> equalLength = bool(words, n);
                case "@serieslength" -> seriesLength = positive(words, n);
                case "@classlabel" -> classLabels(words, n);
                case "@targetlabel" -> throw new TsFormatException(source, n, words[0], "regression data is not"
                        + " supported; nas4j reads classification data ('@classLabel true <labels>')");
                case "@data" -> {
                    finish(n);
                    return true;
                }
                default -> throw new TsFormatException(source, n, words[0], "unknown header; known: @problemName,"
                        + " @timeStamps, @missing, @univariate, @dimensions, @equalLength, @seriesLength,"
                        + " @classLabel, @data");
            }
            return false;
        }

        private void classLabels(String[] words, int n) throws TsFormatException {
            if (words.length < 2 || !words[1].equalsIgnoreCase("true")) {
                throw new TsFormatException(source, n, words[0], "unlabelled data is not supported; expected"
                        + " '@classLabel true <label> <label> ...', but was '" + String.join(" ", words) + "'");
            }
            List<String> list = new ArrayList<>();
            for (int i = 2; i < words.length; i++) {
                if (list.contains(words[i])) {
                    throw new TsFormatException(source, n, words[0], "label '" + words[i] + "' is listed twice");
                }
                list.add(words[i]);
            }
            if (list.size() < 2) {
                throw new TsFormatException(source, n, words[0], "needs at least 2 class labels, but had " + list);
            }
            classLabels = list;
        }

        private void finish(int n) throws TsFormatException {
            if (problemName == null) {
                throw new TsFormatException(source, n, "@problemName", "missing before @data");
            }
            if (classLabels == null) {
                throw new TsFormatException(source, n, "@classLabel", "missing before @data");
            }
            if (Boolean.TRUE.equals(univariate) && dimensions > 1) {
                throw new TsFormatException(source, dimensionsLine, "@dimensions", "is " + dimensions
                        + ", but @univariate is true");
            }
            if (Boolean.FALSE.equals(equalLength) && seriesLength > 0) {
                throw new TsFormatException(source, n, "@seriesLength", "is given (" + seriesLength
                        + "), but @equalLength is false");
            }
        }

        /** The channels of one series line, checked against the headers and the lines before it. */
        float[][] series(String line, int n, int index) throws TsFormatException {
            String[] blocks = line.split(":", -1);
            int channels = blocks.length - 1;
            String where = "series " + index;
            if (channels < 1) {
                throw new TsFormatException(source, n, where + ", label", "no ':' before the class label");
            }
            if (dimensions == 0) {
                dimensions = Boolean.TRUE.equals(univariate) ? 1 : channels;
            }
            if (channels != dimensions) {
                throw new TsFormatException(source, n, where, "has " + channels + " channels, but "
                        + (dimensionsLine > 0 ? "@dimensions says " : "the series before have ") + dimensions);
            }
            float[][] values = new float[channels][];
            for (int c = 0; c < channels; c++) {
                values[c] = channel(blocks[c], n, where + ", channel " + c);
                if (values[c].length != values[0].length) {
                    throw new TsFormatException(source, n, where + ", channel " + c, "has " + values[c].length
                            + " values, but channel 0 has " + values[0].length);
                }
            }
            int length = values[0].length;
            if (seriesLength > 0 && length != seriesLength) {
                throw new TsFormatException(source, n, where, "has length " + length + ", but @seriesLength is "
                        + seriesLength);
            }
            if (Boolean.TRUE.equals(equalLength) && firstLength >= 0 && length != firstLength) {
                throw new TsFormatException(source, n, where, "has length " + length + ", but @equalLength is"
                        + " true and series 0 has length " + firstLength);
            }
            if (firstLength < 0) {
                firstLength = length;
            }
            return values;
        }

        private float[] channel(String block, int n, String where) throws TsFormatException {
            if (block.isBlank()) {
                throw new TsFormatException(source, n, where, "no values");
            }
            String[] fields = block.split(",", -1);
            float[] out = new float[fields.length];
            for (int t = 0; t < fields.length; t++) {
                String f = fields[t].strip();
                if (f.equals("?")) {
                    if (!missing) {
                        throw new TsFormatException(source, n, where + ", value " + t, "'?' (missing value), but"
                                + " @missing is not true");
                    }
                    continue;
                }
                double v;
                try {
                    v = Double.parseDouble(f);
                } catch (NumberFormatException e) {
                    throw new TsFormatException(source, n, where + ", value " + t, "'" + abbreviate(f)
                            + "' is not a number");
                }
                if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                    throw new TsFormatException(source, n, where + ", value " + t, "'" + f
                            + "' is not a finite float; write missing values as '?'");
                }
                out[t] = (float) v;
            }
            return out;
        }

        int label(String line, int n, int index) throws TsFormatException {
            String label = line.substring(line.lastIndexOf(':') + 1).strip();
            int i = classLabels.indexOf(label);
            if (i < 0) {
                throw new TsFormatException(source, n, "series " + index + ", label", "'" + abbreviate(label)
                        + "' is not one of @classLabel " + classLabels);
            }
            return i;
        }

        private String single(String[] words, int n) throws TsFormatException {
            if (words.length != 2) {
                throw new TsFormatException(source, n, words[0], "expected one value, but was '"
                        + String.join(" ", words) + "'");
            }
            return words[1];
        }

        private boolean bool(String[] words, int n) throws TsFormatException {
            String v = single(words, n).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new TsFormatException(source, n, words[0], "must be true or false, but was '" + words[1] + "'");
            }
            return v.equals("true");
        }

        private int positive(String[] words, int n) throws TsFormatException {
            String v = single(words, n);
            try {
                int i = Integer.parseInt(v);
                if (i >= 1) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below with the value
            }
            throw new TsFormatException(source, n, words[0], "must be a positive integer, but was '" + v + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
