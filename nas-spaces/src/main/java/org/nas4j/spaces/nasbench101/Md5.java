package org.nas4j.spaces.nasbench101;

/**
 * MD5 (RFC 1321) over a byte buffer, written for the graph hash's hot loop: no allocation per digest, the
 * digest returned as two big-endian longs (so that comparing them unsigned orders digests as their hex strings
 * order). Not thread-safe: one instance per thread. {@code java.security.MessageDigest} gives the same digests
 * (tested) but costs an object and a hex string per call.
 */
final class Md5 {
    private static final int[] SHIFT = {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    private static final int[] SINE = new int[64];

    static {
        // RFC 1321: T[i] = floor(2^32 * |sin(i + 1)|); doubles hold these exactly enough (checked by the tests).
        for (int i = 0; i < 64; i++) {
            SINE[i] = (int) (long) Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296.0);
        }
    }

    private final int[] words = new int[16];
    private final int[] state = new int[4];
    private final byte[] tail = new byte[128];
    private long hi;
    private long lo;

    /** The high 8 bytes (big-endian) of the last digest. */
    long hi() {
        return hi;
    }

    /** The low 8 bytes (big-endian) of the last digest. */
    long lo() {
        return lo;
    }

    /** Digests {@code data[0, length)}; read the result with {@link #hi()} and {@link #lo()}. */
    void digest(byte[] data, int length) {
        int[] state = this.state;
        state[0] = 0x67452301;
        state[1] = 0xefcdab89;
        state[2] = 0x98badcfe;
        state[3] = 0x10325476;
        int full = length & ~63;
        for (int off = 0; off < full; off += 64) {
            compress(state, data, off);
        }
        int rest = length - full;
        int padded = rest < 56 ? 64 : 128;
        byte[] t = tail;
        System.arraycopy(data, full, t, 0, rest);
        t[rest] = (byte) 0x80;
        for (int i = rest + 1; i < padded - 8; i++) {
            t[i] = 0;
        }
        long bits = (long) length << 3;
        for (int i = 0; i < 8; i++) {
            t[padded - 8 + i] = (byte) (bits >>> (8 * i));
        }
        compress(state, t, 0);
        if (padded == 128) {
            compress(state, t, 64);
        }
        hi = (reverse(state[0]) << 32) | reverse(state[1]);
        lo = (reverse(state[2]) << 32) | reverse(state[3]);
    }

    private static long reverse(int littleEndianWord) {
        return Integer.reverseBytes(littleEndianWord) & 0xffffffffL;
    }

    private void compress(int[] state, byte[] data, int off) {
        int[] m = words;
        for (int i = 0; i < 16; i++) {
            int j = off + 4 * i;
            m[i] = (data[j] & 0xff) | (data[j + 1] & 0xff) << 8 | (data[j + 2] & 0xff) << 16 | (data[j + 3] & 0xff) << 24;
        }
        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        for (int i = 0; i < 64; i++) {
            int f;
            int g;
            if (i < 16) {
                f = (b & c) | (~b & d);
                g = i;
            } else if (i < 32) {
                f = (d & b) | (~d & c);
                g = (5 * i + 1) & 15;
            } else if (i < 48) {
                f = b ^ c ^ d;
                g = (3 * i + 5) & 15;
            } else {
                f = c ^ (b | ~d);
                g = (7 * i) & 15;
            }
            int next = b + Integer.rotateLeft(a + f + SINE[i] + m[g], SHIFT[i]);
            a = d;
            d = c;
            c = b;
            b = next;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }

    /** Writes the 32 lower-case hex characters of ({@code hi}, {@code lo}) into {@code out} at {@code off}. */
    static void hex(long hi, long lo, byte[] out, int off) {
        for (int i = 0; i < 16; i++) {
            out[off + i] = HEX[(int) (hi >>> (60 - 4 * i)) & 15];
            out[off + 16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 15];
        }
    }

    /** The hex string of a digest. */
    static String hexString(long hi, long lo) {
        byte[] b = new byte[32];
        hex(hi, lo, b, 0);
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
}
