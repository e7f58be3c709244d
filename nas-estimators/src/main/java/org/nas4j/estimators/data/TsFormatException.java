package org.nas4j.estimators.data;

import java.io.IOException;

/**
 * A {@code .ts} file (sktime / UEA-UCR time-series format) that breaks the format: the message names the file,
 * the line (1-based) and the field, and {@link #line()} and {@link #field()} give them to code.
 *
 * <pre>{@code
 * try {
 *     TsFormat.read(Path.of("GunPoint_TRAIN.ts"));
 * } catch (TsFormatException e) {
 *     System.err.println(e.line() + " " + e.field());   // e.g. 23 "series 4, channel 0, value 17"
 * }
 * }</pre>
 */
public final class TsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String field;

    /**
     * @param source the file's name
     * @param line   the line, 1-based (0 when the problem is the file as a whole, e.g. a missing {@code @data})
     * @param field  the header or value at fault, e.g. {@code "@seriesLength"} or {@code "series 3, label"}
     * @param reason what is wrong, with the value found
     */
    public TsFormatException(String source, int line, String field, String reason) {
        super(source + (line > 0 ? " line " + line : "") + ", " + field + ": " + reason);
        this.line = line;
        this.field = field;
    }

    /** The 1-based line at fault, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }

    /** The header or value at fault, e.g. {@code "@dimensions"} or {@code "series 3, channel 1, value 7"}. */
    public String field() {
        return field;
    }
}
