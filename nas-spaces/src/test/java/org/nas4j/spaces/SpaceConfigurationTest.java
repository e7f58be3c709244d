package org.nas4j.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.config.Configuration;
import org.nas4j.spaces.darts.DartsSpace;
import org.nas4j.spaces.nasbench101.NasBench101Space;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/** A space's identity is its configuration's text, and every setting is part of it. */
class SpaceConfigurationTest {

    private static void assertOneFieldDiffers(String field, Configuration a, Configuration b) {
        assertNotEquals(a.toString(), b.toString());
        assertEquals(List.of(field), a.differences(b).stream().map(Configuration.Difference::path).toList());
    }

    @Test
    void everyNasBench201SettingIsInTheIdentity() {
        NasBench201Space standard = NasBench201Space.standard();
        assertEquals(standard.configuration().toString(), standard.identity());
        assertEquals(standard.configuration(), Configuration.parse(standard.identity()));
        assertOneFieldDiffers("imageSize", standard.configuration(),
                NasBench201Space.builder().imageSize(28).build().configuration());
        assertOneFieldDiffers("inputChannels", standard.configuration(),
                NasBench201Space.builder().inputChannels(1).build().configuration());
    }

    @Test
    void theNasBench101MutationRateIsInTheIdentity() {
        NasBench101Space space = NasBench101Space.create();
        assertEquals(space.configuration(), Configuration.parse(space.identity()));
        assertOneFieldDiffers("mutationRate", space.configuration(), space.withMutationRate(0.5).configuration());
    }

    @Test
    void everyDartsSettingIsInTheIdentity() {
        DartsSpace darts = DartsSpace.darts();
        assertEquals(darts.configuration(), Configuration.parse(darts.identity()));
        assertOneFieldDiffers("ops", darts.configuration(),
                DartsSpace.builder().includeNone(true).build().configuration());
        assertOneFieldDiffers("sharedCell", darts.configuration(),
                DartsSpace.builder().sharedCell(true).build().configuration());
    }
}
