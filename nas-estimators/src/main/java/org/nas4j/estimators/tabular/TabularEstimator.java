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
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.nas4j.core.config.Configuration;
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
 *
 * <p><b>Fidelity.</b> A column named {@code metric@k} holds {@code metric} after training for {@code k} epochs (for
 * example {@code valid_acc@12} beside a 200-epoch {@code valid_acc}). The full budget is {@link #fullEpochs()}
 * epochs (the largest {@code k} unless set with {@link #withFullEpochs}). A request at fidelity {@code f} reads the
 * smallest level {@code k >= f * fullEpochs}, whose values replace the plain columns of the same metrics; when no
 * level is that large it reads the plain columns. The evaluation then carries the metric {@code epochs} with the
 * level used. A table without such columns answers every fidelity with its plain columns.
 *
 * <p>Immutable and thread-safe; lookups take microseconds.
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
    /** Per architecture, the values of the {@code metric@k} columns by level {@code k}; empty maps if none. */
    private final Map<Architecture, NavigableMap<Integer, Map<Metric, Double>>> levels;
    private final NavigableSet<Integer> epochLevels;
    private final int fullEpochs;

    private TabularEstimator(String source, String fingerprint, SearchSpace space,
                             Map<Architecture, Map<Metric, Double>> rows,
                             Map<Architecture, NavigableMap<Integer, Map<Metric, Double>>> levels,
                             NavigableSet<Integer> epochLevels, int fullEpochs) {
        this.source = source;
        this.fingerprint = fingerprint;
        this.space = space;
        this.rows = rows;
        this.levels = levels;
        this.epochLevels = epochLevels;
        this.fullEpochs = fullEpochs;
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
            throw new IllegalArgumentException("table file must be an existing file, but " + file
                    + (Files.exists(file) ? " is a directory or another special file" : " does not exist"));
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
        int[] columnLevel = new int[columns.size()];
        NavigableSet<Integer> epochLevels = new TreeSet<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).trim();
            int at = name.indexOf('@');
            if (at >= 0) {
                columnLevel[c] = parseLevel(source, name, at);
                epochLevels.add(columnLevel[c]);
                name = name.substring(0, at);
            }
            metrics.add(name.equals("arch_str") || name.equals("arch_index") ? null : Metric.named(name));
        }
        CRC32 crc = new CRC32();
        Map<Architecture, Map<Metric, Double>> rows = new HashMap<>();
        Map<Architecture, NavigableMap<Integer, Map<Metric, Double>>> levels = new HashMap<>();
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
            NavigableMap<Integer, Map<Metric, Double>> byLevel = new TreeMap<>();
            for (int c = 0; c < cells.length; c++) {
                if (metrics.get(c) == null) {
                    continue;
                }
                Map<Metric, Double> target = columnLevel[c] == 0 ? values
                        : byLevel.computeIfAbsent(columnLevel[c], k -> new LinkedHashMap<>());
                try {
                    target.put(metrics.get(c), Double.parseDouble(cells[c].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ", line " + lineNo + ": column " + columns.get(c)
                            + " must be a number, but was '" + cells[c] + "'");
                }
            }
            if (rows.put(a, values) != null) {
                throw new IllegalArgumentException(source + ", line " + lineNo + ": architecture " + a
                        + " appears twice");
            }
            levels.put(a, Collections.unmodifiableNavigableMap(byLevel));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the table has a header but no rows");
        }
        String fingerprint = rows.size() + " rows, crc32 " + Long.toHexString(crc.getValue());
        return new TabularEstimator(source, fingerprint, space, Collections.unmodifiableMap(rows),
                Collections.unmodifiableMap(levels), Collections.unmodifiableNavigableSet(epochLevels),
                epochLevels.isEmpty() ? 0 : epochLevels.last());
    }

    private static int parseLevel(String source, String column, int at) {
        String digits = column.substring(at + 1);
        try {
            int k = Integer.parseInt(digits);
            if (k >= 1 && at > 0) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + ", line 1: a fidelity column must be named metric@epochs with"
                + " epochs >= 1, but was '" + column + "'");
    }

    /**
     * This table with a full budget of {@code epochs} epochs: a request at fidelity {@code f} reads the smallest
     * {@code metric@k} level with {@code k >= f * epochs}, or the plain columns when no level is that large (for
     * example 200 for a table with {@code valid_acc@12} columns beside NAS-Bench-201's 200-epoch
     * {@code valid_acc}).
     *
     * @param epochs at least the largest level of the table
     * @return the same table with that full budget
     */
    public TabularEstimator withFullEpochs(int epochs) {
        if (epochLevels.isEmpty()) {
            throw new IllegalStateException("the table " + source + " has no fidelity columns (metric@epochs), so "
                    + "it has no epoch budget to set");
        }
        if (epochs < epochLevels.last()) {
            throw new IllegalArgumentException("epochs must be >= the largest level of the table ("
                    + epochLevels.last() + "), but was " + epochs);
        }
        return new TabularEstimator(source, fingerprint, space, rows, levels, epochLevels, epochs);
    }

    /** The epoch levels of the table's {@code metric@k} columns, ascending; empty if it has none. */
    public NavigableSet<Integer> epochLevels() {
        return epochLevels;
    }

    /** Whether the table's values depend on the fidelity of a request (it has {@code metric@k} columns). */
    public boolean hasFidelity() {
        return !epochLevels.isEmpty();
    }

    /** Epochs of a full-fidelity request: the largest level or the value set with {@link #withFullEpochs}. */
    public int fullEpochs() {
        return fullEpochs;
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

    /**
     * The table's metrics for {@code architecture} at {@code fidelity} (see the class comment), with the metric
     * {@code epochs} when the table has fidelity columns.
     *
     * @param architecture an architecture of the table
     * @param fidelity     in (0, 1]
     * @return the metrics
     */
    public Map<Metric, Double> lookup(Architecture architecture, double fidelity) {
        if (!(fidelity > 0 && fidelity <= 1)) {
            throw new IllegalArgumentException("fidelity must be in (0, 1], but was " + fidelity);
        }
        Map<Metric, Double> full = lookup(architecture);
        if (epochLevels.isEmpty()) {
            return full;
        }
        Integer level = epochLevels.ceiling((int) Math.ceil(fidelity * fullEpochs - 1e-9));
        Map<Metric, Double> m = new LinkedHashMap<>(full);
        if (level == null) {
            m.put(Metric.EPOCHS, (double) fullEpochs);
            return m;
        }
        Map<Metric, Double> atLevel = levels.get(architecture).get(level);
        if (atLevel == null) {
            throw new IllegalArgumentException("architecture " + architecture + " has no values at " + level
                    + " epochs in the table " + source);
        }
        m.putAll(atLevel);
        m.put(Metric.EPOCHS, (double) level);
        return m;
    }

    /** All rows, for analyses that need the whole table (e.g. the best validation accuracy in it). */
    public Map<Architecture, Map<Metric, Double>> rows() {
        return rows;
    }

    @Override
    public String description() {
        return Configuration.of("tabular").with("source", source).with("fingerprint", fingerprint).toString();
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) {
        Evaluation e = new Evaluation(lookup(request.architecture(), request.fidelity()), false);
        if (space instanceof NasBench201Space nb201) {
            e = e.with(Metric.PARAMETERS, nb201.network().parameters(request.architecture()))
                    .with(Metric.FLOPS, nb201.network().multiplyAdds(request.architecture()));
        }
        return e;
    }
}
