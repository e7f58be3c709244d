package org.nas4j.spaces.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedForm;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/** NAS-Bench-201 written with the space builder agrees with the hand-written space, choice for choice. */
class NasBench201DefinitionTest {

    @Test
    void theSpacesComposedFormIsItsDefinitionWithTheSameVectors() {
        NasBench201Space nb201 = NasBench201Space.builder().channels(8).cellsPerStage(2).classes(5).imageSize(16)
                .build();
        ComposedForm form = nb201.composedForm().orElseThrow();
        assertEquals(NasBench201Definition.of(nb201), form.space());
        assertSame(form, nb201.composedForm().orElseThrow());
        Architecture hand = nb201.parse("|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|"
                + "nor_conv_3x3~2|");
        Architecture built = form.toComposed(hand);
        assertEquals(nb201.network().parameters(hand), form.space().parameters(built));
        assertEquals(nb201.cells(hand), form.space().cells(built));
        assertEquals(hand, form.fromComposed(built));
    }

    @Test
    void everyArchitectureAgrees() {
        NasBench201Space nb201 = NasBench201Space.standard();
        ComposedSpace built = NasBench201Definition.of(nb201);
        assertEquals(15_625, built.vectorCount());
        assertEquals(nb201.choices().size(), built.choices().size());
        for (int i = 0; i < nb201.choices().size(); i++) {
            assertEquals(nb201.choices().get(i).options(), built.choices().get(i).options());
        }
        Map<String, String> builtToHand = new HashMap<>();
        Set<String> handKeys = new HashSet<>();
        int[] v = new int[6];
        for (int code = 0; code < 15_625; code++) {
            for (int i = 0, c = code; i < 6; i++, c /= 5) {
                v[i] = c % 5;
            }
            Architecture hand = Architecture.of(nb201, v);
            Architecture a = Architecture.of(built, v);
            assertEquals(nb201.network().parameters(hand), built.parameters(a), hand.toString());
            assertEquals(nb201.network().multiplyAdds(hand), built.multiplyAdds(a), hand.toString());
            assertEquals(nb201.cells(hand), built.cells(a));
            assertEquals(a, built.parse(a.toString()));
            String previous = builtToHand.put(a.key(), hand.key());
            if (previous != null) {
                assertEquals(previous, hand.key(), "one built key, two hand-written keys: " + hand);
            }
            handKeys.add(hand.key());
        }
        assertEquals(6_466, builtToHand.size());
        assertEquals(6_466, handKeys.size());
    }

    @Test
    void otherDatasetsAgree() {
        NasBench201Space cifar100 = NasBench201Space.builder().classes(100).build();
        NasBench201Space imagenet16 = NasBench201Space.builder().classes(120).imageSize(16).build();
        // the benchmark's arch 0 (two nor_conv_1x1), as docs/spaces/nasbench201.md pins it
        String arch0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
        ComposedSpace in100 = NasBench201Definition.of(cifar100);
        assertEquals(135_156, in100.parameters(Architecture.of(in100, cifar100.parse(arch0).vector())));
        ComposedSpace in16 = NasBench201Definition.of(imagenet16);
        assertEquals(136_456, in16.parameters(Architecture.of(in16, imagenet16.parse(arch0).vector())));
        Architecture conv = Architecture.of(imagenet16, 3, 3, 3, 3, 3, 3);
        assertEquals(imagenet16.network().multiplyAdds(conv),
                in16.multiplyAdds(Architecture.of(in16, conv.vector())));
    }

    @Test
    void textFormWritesEachNode() {
        ComposedSpace built = NasBench201Definition.of(NasBench201Space.standard());
        NasBench201Space nb201 = NasBench201Space.standard();
        Architecture hand = nb201.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|"
                + "nor_conv_3x3~1|skip_connect~2|");
        assertEquals("cell.n1=nor_conv_3x3~0; cell.n2=nor_conv_3x3~0+avg_pool_3x3~1;"
                + " cell.n3=skip_connect~0+nor_conv_3x3~1+skip_connect~2",
                Architecture.of(built, hand.vector()).toString());
    }
}
