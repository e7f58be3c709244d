package org.nas4j.spaces.nasbench101;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The NAS-Bench-101 subset of the shared reference data (found by walking up to a {@code shared/data} folder). */
final class Nb101Data {
    static final String INCEPTION = "adjacency=0111010/0000001/0000001/0000100/0000001/0000001/0000000;"
            + "ops=input|conv1x1-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|conv3x3-bn-relu|maxpool3x3|output";

    /** One row of nb101-subset-500.csv. */
    record Row(String hash, NasBench101Cell cell, int prunedVertices, int prunedEdges, double paramsMillions) {
    }

    private Nb101Data() {
    }

    /** The rows; the test is skipped only when no shared/data folder exists above the working directory. */
    static List<Row> subset() {
        Path data = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/data"))) {
                data = d.resolve("shared/data");
                break;
            }
        }
        assumeTrue(data != null, "no shared/data folder above " + Path.of("").toAbsolutePath());
        Path csv = data.resolve("nasbench101/nb101-subset-500.csv");
        try {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = Arrays.asList(lines.get(0).split(","));
            int hash = header.indexOf("nb101_hash");
            int adjacency = header.indexOf("adjacency_7x7_rowmajor");
            int ops = header.indexOf("ops");
            int vertices = header.indexOf("pruned_vertices");
            int edges = header.indexOf("pruned_edges");
            int params = header.indexOf("params_M_naslib");
            List<Row> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                String a = f[adjacency];
                int n = (int) Math.round(Math.sqrt(a.length()));
                StringBuilder text = new StringBuilder("adjacency=");
                for (int i = 0; i < n; i++) {
                    text.append(i > 0 ? "/" : "").append(a, i * n, (i + 1) * n);
                }
                text.append(";ops=").append(f[ops]);
                rows.add(new Row(f[hash], NasBench101Cell.parse(text.toString()), Integer.parseInt(f[vertices]),
                        Integer.parseInt(f[edges]), Double.parseDouble(f[params])));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
