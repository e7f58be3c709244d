package org.nas4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, read from {@code /proc/self/status} (Linux); -1 where that file is missing. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Resident set size now, in MiB. */
    static long rssMib() {
        return field("VmRSS:");
    }

    /** Peak resident set size so far, in MiB. */
    static long peakRssMib() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
        return -1;
    }
}
