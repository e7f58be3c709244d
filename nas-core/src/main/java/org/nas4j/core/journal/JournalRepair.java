package org.nas4j.core.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a journal whose last write was cut short (the search was killed while writing it) whole again before new
 * lines are appended, so that a journal that survived one crash survives the next. Only the end of the file is
 * repaired: a bad line anywhere else is reported by the reader as an error.
 *
 * <ul>
 *   <li>an incomplete last line (no line end, not a whole JSON object) is dropped: the file is truncated after the
 *       last line end, with a warning naming the file, the line, its length and its first characters; a cut
 *       header line leaves an empty file, which the journal then starts afresh;</li>
 *   <li>a last line that is a whole JSON object but lacks its line end (the kill fell between the two) is a
 *       finished record: it is kept and the line end is added, so the next line starts on a line of its own.</li>
 * </ul>
 */
final class JournalRepair {
    private static final ObjectReader STRICT = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int PREFIX_CHARS = 40;

    private JournalRepair() {
    }

    /**
     * What a repair left.
     *
     * @param content the file's content afterwards: whole lines, each ended by a line end; empty when the file does
     *                not exist or held nothing whole
     * @param warning what was repaired, naming the file and the line, for the log; empty when nothing was
     */
    record Result(String content, String warning) {
    }

    /** Repairs the end of {@code file} in place (see the class comment). */
    static Result repair(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Result("", "");
        }
        byte[] bytes = Files.readAllBytes(file);
        int whole = lastLineEnd(bytes) + 1;
        if (whole == bytes.length) {
            return new Result(text(bytes, whole), "");
        }
        int line = lineEnds(bytes, whole) + 1;
        String tail = new String(bytes, whole, bytes.length - whole, StandardCharsets.UTF_8);
        if (isWholeObject(tail)) {
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                out.write('\n');
            }
            return new Result(text(bytes, bytes.length) + "\n", file + ": line " + line + " is a whole record "
                    + "without its line end (the search was killed just after writing it): kept it and ended the line");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(whole);
        }
        return new Result(text(bytes, whole), file + ": dropped the incomplete line " + line + " ("
                + (bytes.length - whole) + " bytes: '" + prefix(tail) + "'), cut when the search was killed while "
                + "writing it" + (line == 1 ? "; it was the header, so the journal starts afresh"
                : "; its trial will run again"));
    }

    private static boolean isWholeObject(String tail) {
        try {
            JsonNode n = STRICT.readTree(tail);
            return n != null && n.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** The index of the last line end of {@code bytes}, or -1: the whole lines end just after it. */
    static int lastLineEnd(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lineEnds(byte[] bytes, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String text(byte[] bytes, int length) {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static String prefix(String tail) {
        return tail.length() <= PREFIX_CHARS ? tail : tail.substring(0, PREFIX_CHARS) + "...";
    }
}
