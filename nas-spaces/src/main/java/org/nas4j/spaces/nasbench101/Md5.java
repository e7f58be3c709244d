package org.nas4j.spaces.nasbench101;

/**
 * MD5 (RFC 1321) over a byte buffer, written for the graph hash's hot loop: no allocation per digest, the
 * digest returned as two big-endian longs (so that comparing them unsigned orders digests as their hex strings
 * order). Not thread-safe: one instance per thread. {@code java.security.MessageDigest} gives the same digests
 * (tested) but costs an object and a hex string per call.
 */
final class Md5 {
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

    // the 64 steps of RFC 1321 unrolled (generated): a loop with table look-ups ran 3x slower on the JIT
    private void compress(int[] state, byte[] data, int off) {
        int m0 = word(data, off + 0);
        int m1 = word(data, off + 4);
        int m2 = word(data, off + 8);
        int m3 = word(data, off + 12);
        int m4 = word(data, off + 16);
        int m5 = word(data, off + 20);
        int m6 = word(data, off + 24);
        int m7 = word(data, off + 28);
        int m8 = word(data, off + 32);
        int m9 = word(data, off + 36);
        int m10 = word(data, off + 40);
        int m11 = word(data, off + 44);
        int m12 = word(data, off + 48);
        int m13 = word(data, off + 52);
        int m14 = word(data, off + 56);
        int m15 = word(data, off + 60);
        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0xd76aa478 + m0, 7);
        d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0xe8c7b756 + m1, 12);
        c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0x242070db + m2, 17);
        b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0xc1bdceee + m3, 22);
        a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0xf57c0faf + m4, 7);
        d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0x4787c62a + m5, 12);
        c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xa8304613 + m6, 17);
        b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0xfd469501 + m7, 22);
        a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0x698098d8 + m8, 7);
        d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0x8b44f7af + m9, 12);
        c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xffff5bb1 + m10, 17);
        b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0x895cd7be + m11, 22);
        a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0x6b901122 + m12, 7);
        d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0xfd987193 + m13, 12);
        c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xa679438e + m14, 17);
        b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0x49b40821 + m15, 22);
        a = b + Integer.rotateLeft(a + ((d & b) | (~d & c)) + 0xf61e2562 + m1, 5);
        d = a + Integer.rotateLeft(d + ((c & a) | (~c & b)) + 0xc040b340 + m6, 9);
        c = d + Integer.rotateLeft(c + ((b & d) | (~b & a)) + 0x265e5a51 + m11, 14);
        b = c + Integer.rotateLeft(b + ((a & c) | (~a & d)) + 0xe9b6c7aa + m0, 20);
        a = b + Integer.rotateLeft(a + ((d & b) | (~d & c)) + 0xd62f105d + m5, 5);
        d = a + Integer.rotateLeft(d + ((c & a) | (~c & b)) + 0x02441453 + m10, 9);
        c = d + Integer.rotateLeft(c + ((b & d) | (~b & a)) + 0xd8a1e681 + m15, 14);
        b = c + Integer.rotateLeft(b + ((a & c) | (~a & d)) + 0xe7d3fbc8 + m4, 20);
        a = b + Integer.rotateLeft(a + ((d & b) | (~d & c)) + 0x21e1cde6 + m9, 5);
        d = a + Integer.rotateLeft(d + ((c & a) | (~c & b)) + 0xc33707d6 + m14, 9);
        c = d + Integer.rotateLeft(c + ((b & d) | (~b & a)) + 0xf4d50d87 + m3, 14);
        b = c + Integer.rotateLeft(b + ((a & c) | (~a & d)) + 0x455a14ed + m8, 20);
        a = b + Integer.rotateLeft(a + ((d & b) | (~d & c)) + 0xa9e3e905 + m13, 5);
        d = a + Integer.rotateLeft(d + ((c & a) | (~c & b)) + 0xfcefa3f8 + m2, 9);
        c = d + Integer.rotateLeft(c + ((b & d) | (~b & a)) + 0x676f02d9 + m7, 14);
        b = c + Integer.rotateLeft(b + ((a & c) | (~a & d)) + 0x8d2a4c8a + m12, 20);
        a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xfffa3942 + m5, 4);
        d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0x8771f681 + m8, 11);
        c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0x6d9d6122 + m11, 16);
        b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xfde5380c + m14, 23);
        a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xa4beea44 + m1, 4);
        d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0x4bdecfa9 + m4, 11);
        c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0xf6bb4b60 + m7, 16);
        b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xbebfbc70 + m10, 23);
        a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0x289b7ec6 + m13, 4);
        d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0xeaa127fa + m0, 11);
        c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0xd4ef3085 + m3, 16);
        b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0x04881d05 + m6, 23);
        a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xd9d4d039 + m9, 4);
        d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0xe6db99e5 + m12, 11);
        c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0x1fa27cf8 + m15, 16);
        b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xc4ac5665 + m2, 23);
        a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0xf4292244 + m0, 6);
        d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0x432aff97 + m7, 10);
        c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xab9423a7 + m14, 15);
        b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0xfc93a039 + m5, 21);
        a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0x655b59c3 + m12, 6);
        d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0x8f0ccc92 + m3, 10);
        c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xffeff47d + m10, 15);
        b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0x85845dd1 + m1, 21);
        a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0x6fa87e4f + m8, 6);
        d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0xfe2ce6e0 + m15, 10);
        c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xa3014314 + m6, 15);
        b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0x4e0811a1 + m13, 21);
        a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0xf7537e82 + m4, 6);
        d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0xbd3af235 + m11, 10);
        c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0x2ad7d2bb + m2, 15);
        b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0xeb86d391 + m9, 21);
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }

    private static int word(byte[] data, int j) {
        return (data[j] & 0xff) | (data[j + 1] & 0xff) << 8 | (data[j + 2] & 0xff) << 16 | (data[j + 3] & 0xff) << 24;
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
