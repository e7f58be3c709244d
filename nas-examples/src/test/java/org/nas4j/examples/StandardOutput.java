package org.nas4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a program prints on standard output while it runs. */
final class StandardOutput {

    /** A program's entry point. */
    interface Program {
        void run() throws Exception;
    }

    private StandardOutput() {
    }

    /** Runs {@code program} and returns what it printed on {@code System.out}. */
    static String of(Program program) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
