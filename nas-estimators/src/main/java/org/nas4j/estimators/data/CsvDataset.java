package org.nas4j.estimators.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a numeric CSV table as a dataset: one sample per row, one column holding the integer class label, the
 * other columns the features (as a {@code 1 x 1 x features} sample).
 */
public final class CsvDataset {
    private CsvDataset() {
    }

    /**
     * Reads {@code file}; {@code labelColumn} is the 0-based column of the label (negative counts from the end:
     * -1 is the last column); a first line that is not numeric is taken as a header.
     */
    public static ImageDataset read(Path file, int labelColumn) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (lineNo == 1 && !isNumber(cells[0].trim()) && !isNumber(cells[cells.length - 1].trim())) {
                    continue;
                }
                if (width < 0) {
                    width = cells.length;
                    if (width < 2) {
                        throw new IllegalArgumentException(file + ", line " + lineNo + ": need a label and at least "
                                + "one feature column, but found " + width + " column");
                    }
                } else if (cells.length != width) {
                    throw new IllegalArgumentException(file + ", line " + lineNo + ": expected " + width
                            + " columns, but found " + cells.length);
                }
                int lc = labelColumn < 0 ? width + labelColumn : labelColumn;
                if (lc < 0 || lc >= width) {
                    throw new IllegalArgumentException("labelColumn must be in [" + -width + ", " + width
                            + "), but was " + labelColumn);
                }
                float[] f = new float[width - 1];
                int k = 0;
                for (int c = 0; c < width; c++) {
                    String cell = cells[c].trim();
                    if (c == lc) {
                        try {
                            labels.add(Integer.parseInt(cell));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(file + ", line " + lineNo + ": the label must be an "
                                    + "integer class, but was '" + cell + "'");
                        }
                    } else {
                        if (!isNumber(cell)) {
                            throw new IllegalArgumentException(file + ", line " + lineNo + ", column " + (c + 1)
                                    + ": must be a number, but was '" + cell + "'");
                        }
                        f[k++] = Float.parseFloat(cell);
                    }
                }
                rows.add(f);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no data rows");
        }
        int features = width - 1;
        float[] values = new float[rows.size() * features];
        int[] y = new int[rows.size()];
        int classes = 2;
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, values, i * features, features);
            y[i] = labels.get(i);
            classes = Math.max(classes, y[i] + 1);
        }
        return new ImageDataset(values, y, features, 1, 1, classes);
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
