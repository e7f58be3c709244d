package org.nas4j.estimators.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.estimators.data.CharacterCorpus;

/** The recurrent search's checkpoint (a stopped search resumes and ends as an uninterrupted one) and its lengths. */
class RecurrentSupernetCheckpointTest {

    private static CharacterCorpus corpus() {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat ", "and ", "dog ", "ran. "};
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder b = new StringBuilder();
        while (b.length() < 3000) {
            b.append(words[rng.nextInt(words.length)]);
        }
        return CharacterCorpus.of("words", b.toString());
    }

    private static RecurrentSupernetTrainer.Builder small() {
        // drawn lengths (bptt 6: 6 or 3), dropouts and batch norm on, so that every part of the state matters
        return RecurrentSupernetTrainer.builder(corpus()).hiddenSize(8).batch(8).bptt(6).segments(7).nodes(3)
                .learningRate(2).segmentLength(SegmentLength.SEARCH).checkpointEvery(2);
    }

    /** First and second order (the unrolled step's extra passes, masks and carried validation state included). */
    @ParameterizedTest(name = "unrolled={0}")
    @ValueSource(booleans = {false, true})
    void aSearchStoppedMidwayResumesFromItsCheckpointAndEndsAsAnUninterruptedOne(boolean unrolled,
            @TempDir Path dir) {
        RecurrentSupernetTrainer trainer = small().unrolled(unrolled).build();
        RecurrentSupernetTrainer.Result whole = trainer.search(9);
        Path file = dir.resolve("journal").resolve(RecurrentSupernetTrainer.CHECKPOINT);
        int[] asked = {0};
        // stopped before the sixth segment: the checkpoint of segment 4 is the last one written
        assertTrue(trainer.search(9, Optional.of(file), () -> ++asked[0] > 5).isEmpty());
        assertEquals(6, asked[0]);
        assertTrue(Files.exists(file));
        int[] resumedAsks = {0};
        RecurrentSupernetTrainer.Result resumed = trainer.search(9, Optional.of(file), () -> {
            resumedAsks[0]++;
            return false;
        }).orElseThrow();
        assertEquals(3, resumedAsks[0], "resumed after segment 4: segments 5, 6 and 7 run");
        assertArrayEquals(whole.trainingLosses(), resumed.trainingLosses());
        assertArrayEquals(whole.validationLosses(), resumed.validationLosses());
        for (int e = 0; e < whole.weights().length; e++) {
            assertArrayEquals(whole.weights()[e], resumed.weights()[e], "architecture weights of edge " + e);
        }
        assertEquals(whole.genotype(), resumed.genotype());
        // the finished search's checkpoint holds its end: a third call runs no segment and gives the same result
        RecurrentSupernetTrainer.Result again = trainer.search(9, Optional.of(file), () -> {
            throw new AssertionError("no segment is left to run");
        }).orElseThrow();
        assertArrayEquals(whole.trainingLosses(), again.trainingLosses());
    }

    @Test
    void aCheckpointOfAnotherTrainerOrSeedIsRefused(@TempDir Path dir) {
        Path file = dir.resolve(RecurrentSupernetTrainer.CHECKPOINT);
        small().segments(2).build().search(9, Optional.of(file), () -> false).orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().segments(3).build()
                .search(9, Optional.of(file), () -> false));
        assertTrue(e.getMessage().contains("segments=2") && e.getMessage().contains("segments=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small().segments(2).build().search(10, Optional.of(file),
                () -> false));
        // a first-order checkpoint does not resume a second-order search (nor the reverse: the descriptions differ)
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> small().segments(2)
                .unrolled(true).build().search(9, Optional.of(file), () -> false));
        assertTrue(order.getMessage().contains("unrolled=false") && order.getMessage().contains("unrolled=true"),
                order.getMessage());
    }

    @Test
    void theSecondOrderStepChangesTheSearch() {
        RecurrentSupernetTrainer.Result first = small().build().search(9);
        RecurrentSupernetTrainer.Result second = small().unrolled(true).build().search(9);
        // the first segment's validation loss is taken at w' (one SGD step further) in the second order
        assertFalse(first.validationLosses()[0] == second.validationLosses()[0]);
        assertFalse(java.util.Arrays.deepEquals(first.weights(), second.weights()));
        assertTrue(java.util.Arrays.stream(second.trainingLosses()).allMatch(Double::isFinite));
    }

    @Test
    void theSearchLengthIsBpttOrItsHalfAsTheReferenceSearch() {
        SplitMix64 random = new SplitMix64(4);
        int n = 20_000;
        int halves = 0;
        for (int i = 0; i < n; i++) {
            int length = SegmentLength.SEARCH.draw(35, random);
            assertTrue(length == 35 || length == 17, "length " + length);
            halves += length == 17 ? 1 : 0;
        }
        // binomial: 0.05 with standard deviation sqrt(0.05 * 0.95 / n) = 0.0015; five of them
        assertEquals(0.05, halves / (double) n, 5 * Math.sqrt(0.05 * 0.95 / n));
        for (int i = 0; i < 200; i++) {
            assertEquals(1, SegmentLength.SEARCH.draw(1, random), "int(1 / 2) = 0 is raised to 1");
        }
        assertEquals(35, SegmentLength.FIXED.draw(35, random));
    }

    @Test
    void theTrainingLengthIsANormalAroundBpttOrItsHalfAtLeastFive() {
        SplitMix64 random = new SplitMix64(5);
        int n = 20_000;
        double sum = 0;
        boolean shortSeen = false;
        for (int i = 0; i < n; i++) {
            int length = SegmentLength.TRAIN.draw(35, random);
            assertTrue(length >= 5, "length " + length);
            shortSeen |= length < 20;
            sum += length;
        }
        // mean 0.95 * 35 + 0.05 * 17.5 = 34.125, less 0.5 for the truncation of a normal of deviation 5 (smooth over
        // a unit interval); the draws' deviation is sqrt(25 + 0.95 * 0.05 * 17.5^2) = 6.3, the mean's 6.3 / sqrt(n),
        // five of them (the clamp at 5 moves the mean by under 0.003)
        double sd = Math.sqrt(25 + 0.95 * 0.05 * 17.5 * 17.5);
        assertEquals(34.125 - 0.5, sum / n, 5 * sd / Math.sqrt(n));
        assertTrue(shortSeen, "the bptt / 2 branch");
        assertFalse(SegmentLength.TRAIN.draw(2, new SplitMix64(1)) < 5);
    }

    @Test
    void drawnLengthsChangeTheSearch() {
        RecurrentSupernetTrainer.Result fixed = small().segmentLength(SegmentLength.FIXED).build().search(9);
        RecurrentSupernetTrainer.Result drawn = small().segmentLength(SegmentLength.TRAIN).build().search(9);
        assertFalse(java.util.Arrays.equals(fixed.trainingLosses(), drawn.trainingLosses()));
        assertEquals("checkpointEvery must be >= 1, but was 0", assertThrows(IllegalArgumentException.class,
                () -> small().checkpointEvery(0)).getMessage());
    }
}
