package org.nas4j.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nas4j.core.testing.ChainSpace;

class SearchSpaceTest {

    @Test
    void vectorCountIsExactWhileALongHoldsIt() {
        assertEquals(1L << 62, new ChainSpace(62, 2).vectorCount());
        assertEquals(390_625, new ChainSpace(8, 5).vectorCount());
    }

    @Test
    void vectorCountSaturatesAtLongMaxValue() {
        assertEquals(Long.MAX_VALUE, new ChainSpace(63, 2).vectorCount());
        assertEquals(Long.MAX_VALUE, new ChainSpace(200, 7).vectorCount());
    }
}
