package org.nas4j.spaces.nasbench101;

/** An open-addressing set of 128-bit hashes (two longs); not thread-safe. */
final class Hash128Set {
    private long[] hi;
    private long[] lo;
    private boolean[] used;
    private int size;

    Hash128Set(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        hi = new long[cap];
        lo = new long[cap];
        used = new boolean[cap];
    }

    int size() {
        return size;
    }

    /** Adds (h, l); true if it was not there. */
    boolean add(long h, long l) {
        if (2 * (size + 1) > used.length) {
            grow();
        }
        int mask = used.length - 1;
        // MD5 bits are uniform already; the low bits of hi are a fine slot
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (used[i]) {
            if (hi[i] == h && lo[i] == l) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        hi[i] = h;
        lo[i] = l;
        size++;
        return true;
    }

    /** Adds every element of {@code other}; returns how many were new. */
    int addAll(Hash128Set other) {
        int added = 0;
        for (int i = 0; i < other.used.length; i++) {
            if (other.used[i] && add(other.hi[i], other.lo[i])) {
                added++;
            }
        }
        return added;
    }

    private void grow() {
        long[] oh = hi;
        long[] ol = lo;
        boolean[] ou = used;
        hi = new long[oh.length * 2];
        lo = new long[oh.length * 2];
        used = new boolean[oh.length * 2];
        size = 0;
        for (int i = 0; i < ou.length; i++) {
            if (ou[i]) {
                add(oh[i], ol[i]);
            }
        }
    }
}
