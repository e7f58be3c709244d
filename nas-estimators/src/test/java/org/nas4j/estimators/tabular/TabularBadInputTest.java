package org.nas4j.estimators.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.estimators.Estimators;
import org.nas4j.spaces.Spaces;

/** A table that cannot be read fails at once, naming the file, the line and what was wrong. */
class TabularBadInputTest {
    private static final String ROW = "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|none~2|,90,89\n";

    private static String failure(Path table) {
        return assertThrows(IllegalArgumentException.class, () -> Estimators.tabular(table, Spaces.nasBench201()))
                .getMessage();
    }

    @Test
    void aHeaderWithoutTheRequiredColumns(@TempDir Path dir) throws IOException {
        Path table = Files.writeString(dir.resolve("t.csv"), "arch,valid,test\n" + ROW);
        assertEquals(table + ", line 1: the header must have columns arch_str and valid_acc, but was "
                + "'arch,valid,test'", failure(table));
    }

    @Test
    void aFidelityColumnWithoutEpochs(@TempDir Path dir) throws IOException {
        Path table = Files.writeString(dir.resolve("t.csv"), "arch_str,valid_acc,valid_acc@x\n" + ROW);
        assertEquals(table + ", line 1: a fidelity column must be named metric@epochs with epochs >= 1, but was "
                + "'valid_acc@x'", failure(table));
    }

    @Test
    void anEmptyTable(@TempDir Path dir) throws IOException {
        Path table = Files.writeString(dir.resolve("t.csv"), "");
        assertEquals(table + ", line 1: the table is empty (a header is required)", failure(table));
    }

    @Test
    void aMissingTableFile(@TempDir Path dir) {
        assertEquals("table file must be an existing file, but " + dir.resolve("none.csv") + " does not exist",
                failure(dir.resolve("none.csv")));
        assertEquals("table file must be an existing file, but " + dir + " is a directory or another special file",
                failure(dir));
    }
}
