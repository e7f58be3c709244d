package org.nas4j.estimators.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The reference's batchify and get_batch: columns of the stream, segments of rows, targets one row later. */
class TokenBatchesTest {

    @Test
    void columnsAreContiguousPiecesAndSegmentsAreStepMajor() {
        int[] stream = new int[11];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i;
        }
        TokenBatches b = new TokenBatches(stream, 2);   // columns 0..4 and 5..9; token 10 dropped
        assertEquals(5, b.rows());
        assertEquals(4, b.predictions());
        assertArrayEquals(new int[] {0, 5, 1, 6, 2, 7}, b.inputs(0, 3));
        assertArrayEquals(new int[] {1, 6, 2, 7, 3, 8}, b.targets(0, 3));
        assertEquals(1, b.length(3, 3));
        assertArrayEquals(new int[] {3, 8}, b.inputs(3, 3));
        assertArrayEquals(new int[] {4, 9}, b.targets(3, 3));
        assertThrows(IllegalArgumentException.class, () -> b.length(4, 3));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatches(new int[3], 2));
    }
}
