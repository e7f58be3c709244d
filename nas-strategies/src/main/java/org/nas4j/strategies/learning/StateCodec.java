package org.nas4j.strategies.learning;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Encodes double vectors as Base64 of their IEEE-754 bits, so that a saved strategy state restores every weight
 * bit for bit (decimal text would round-trip too, but is three times larger and slower to parse).
 */
public final class StateCodec {
    private StateCodec() {
    }

    /** The Base64 text of {@code values}. */
    public static String encode(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
        for (double v : values) {
            b.putLong(Double.doubleToRawLongBits(v));
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** The vector written by {@link #encode}. */
    public static double[] decode(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text));
        double[] out = new double[b.remaining() / Double.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.longBitsToDouble(b.getLong());
        }
        return out;
    }

    /** Decodes {@code node} (a text node written by {@link #encode}) into {@code target}, checking the length. */
    public static void decodeInto(JsonNode node, double[] target, String what) {
        double[] v = decode(node.asText());
        if (v.length != target.length) {
            throw new IllegalArgumentException(what + " must have " + target.length + " values, but the saved state"
                    + " has " + v.length);
        }
        System.arraycopy(v, 0, target, 0, v.length);
    }
}
