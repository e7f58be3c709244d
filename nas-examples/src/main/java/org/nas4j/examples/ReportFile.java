package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.nas4j.core.search.SearchResult;
import org.nas4j.report.Reports;

/** Writes an example's HTML report ({@link Reports#html}) and says where, as the example's last line. */
final class ReportFile {

    private ReportFile() {
    }

    /**
     * Writes the report of {@code result} to {@code location} (nothing when it is empty) and prints
     * {@code REPORT <absolute path>}; a failure to write is printed on standard error and does not end the program.
     */
    static void write(SearchResult result, String location) {
        if (location.isEmpty()) {
            return;
        }
        try {
            Path file = Reports.html(result, Path.of(location));
            System.out.println("REPORT " + file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("report not written to " + location + ": " + e);
        }
    }
}
