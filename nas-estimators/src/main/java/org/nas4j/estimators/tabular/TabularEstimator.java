package org.nas4j.estimators.tabular;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * An estimator that looks architectures up in a table of measured results, such as NAS-Bench-201. The table is a
 * CSV (optionally gzipped) with a header and at least the columns {@code arch_str} and {@code valid_acc}; the
 * NAS-Bench-201 format is {@code arch_index, arch_str, train_acc, valid_acc, test_acc}. {@code valid_acc} is the
 * search metric; {@code test_acc} is reported beside it but never shown to the strategy; any other numeric column
 * becomes a metric of the same name. For NAS-Bench-201 spaces the parameter and FLOP counts are added too.
 * Immutable and thread-safe; lookups take microseconds.
 *
 * <pre>{@code
 * TabularEstimator table = TabularEstimator.nasBench201Cifar10();            // shipped with nas4j
 * TabularEstimator other = TabularEstimator.fromCsv(Path.of("nb201-cifar100.csv"), Spaces.nasBench201());
 * }</pre>
 */
public final class TabularEstimator implements Estimator {
    private static final String BUNDLED = "nb201-cifar10-valid.csv.gz";

    private final String source;
    private final String fingerprint;
    private final SearchSpace space;
    private final Map<Architecture, Map<Metric, Double>> rows;

    private TabularEstimator(String source, String fingerprint, SearchSpace space,
                             Map<Architecture, Map<Metric, Double>> rows) {
        this.source = source;
        this.fingerprint = fingerprint;
        this.space = space;
        this.rows = rows;
    }

    /**
     * The NAS-Bench-201 CIFAR-10 table shipped in nas4j (15,625 cells; 200-epoch accuracies averaged over seeds:
     * train on the train split, valid on the "valid" split, test on the test set), for the standard space.
     */
    public static TabularEstimator nasBench201Cifar10() {
        try (InputStream in = TabularEstimator.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the bundled table " + BUNDLED + " is missing from the class path");
            }
            return read(new GZIPInputStream(in), "bundled:" + BUNDLED, NasBench201Space.standard());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled table " + BUNDLED, e);
        }
    }

    /** Reads a table in the format described above ({@code .gz} files are decompressed). */
    public static TabularEstimator fromCsv(Path file, SearchSpace space) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(space, "space");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("table file must be a readable file, but was " + file);
        }
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return read(in, file.toString(), space);
        }
    }

    private static TabularEstimator read(InputStream in, String source, SearchSpace space) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (header == null) {
            throw new IllegalArgumentException(source + ", line 1: the table is empty (a header is required)");
        }
        List<String> columns = List.of(header.trim().split(","));
        int archColumn = columns.indexOf("arch_str");
        if (archColumn < 0 || !columns.contains("valid_acc")) {
            throw new IllegalArgumentException(source + ", line 1: the header must have columns arch_str and "
                    + "valid_acc, but was '" + header + "'");
        }
        List<Metric> metrics = new ArrayList<>();
        for (String c : columns) {
            metrics.add(c.equals("arch_str") || c.equals("arch_index") ? null : Metric.named(c));
        }
        CRC32 crc = new CRC32();
        Map<Architecture, Map<Metric, Double>> rows = new HashMap<>();
        String line;
        int lineNo = 1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            crc.update(line.getBytes(StandardCharsets.UTF_8));
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException(source + ", line " + lineNo + ": expected " + columns.size()
                        + " columns, but found " + cells.length + ": '" + line + "'");
            }
            Architecture a;
            try {
                a = space.parse(cells[archColumn].trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ", line " + lineNo + ": " + e.getMessage(), e);
            }
            Map<Metric, Double> values = new LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                if (metrics.get(c) == null) {
                    continue;
                }
                try {
                    values.put(metrics.get(c), Double.parseDouble(cells[c].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ", line " + lineNo + ": column " + columns.get(c)
                            + " must be a number, but was '" + cells[c] + "'");
                }
            }
            if (rows.put(a, values) != null) {
                throw new IllegalArgumentException(source + ", line " + lineNo + ": architecture " + a
                        + " appears twice");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the table has a header but no rows");
        }
        String fingerprint = rows.size() + " rows, crc32 " + Long.toHexString(crc.getValue());
        return new TabularEstimator(source, fingerprint, space, Collections.unmodifiableMap(rows));
    }

    /** The number of architectures in the table. */
    public int size() {
        return rows.size();
    }

    /** Where the table came from. */
    public String source() {
        return source;
    }

    /** The space the table's architectures belong to. */
    public SearchSpace space() {
        return space;
    }

    /** The table's metrics for {@code architecture}; an exception naming the table if it is not there. */
    public Map<Metric, Double> lookup(Architecture architecture) {
        Map<Metric, Double> m = rows.get(architecture);
        if (m == null) {
            throw new IllegalArgumentException("architecture " + architecture + " is not in the table " + source);
        }
        return m;
    }

    /** All rows, for analyses that need the whole table (e.g. the best validation accuracy in it). */
    public Map<Architecture, Map<Metric, Double>> rows() {
        return rows;
    }

    @Override
    public String description() {
        return "tabular(" + source + ", " + fingerprint + ")";
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        Evaluation e = new Evaluation(lookup(request.architecture()), false);
        if (space instanceof NasBench201Space nb201) {
            e = e.with(Metric.PARAMETERS, nb201.network().parameters(request.architecture()))
                    .with(Metric.FLOPS, nb201.network().multiplyAdds(request.architecture()));
        }
        return e;
    }
}
