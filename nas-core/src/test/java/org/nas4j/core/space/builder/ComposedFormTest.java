package org.nas4j.core.space.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.testing.ChainSpace;

class ComposedFormTest {

    /** Two op choices between a stem and a head. */
    private static ComposedSpace chain(String name) {
        List<String> ops = List.of("nor_conv_3x3", "skip_connect", "avg_pool_3x3");
        return SpaceBuilder.create(name).input(1, 8, 8).layer("stem", "conv_bn_3x3", Width.of(4))
                .choice("a", ops).choice("b", ops).head("pool_linear").build();
    }

    @Test
    void aComposedSpaceIsItsOwnFormAndASpaceWithoutOneHasNone() {
        ComposedSpace space = chain("chain");
        ComposedForm form = space.composedForm().orElseThrow();
        assertSame(space, form.space());
        assertSame(space, form.original());
        Architecture a = Architecture.of(space, 2, 1);
        assertSame(a, form.toComposed(a));
        assertSame(a, form.fromComposed(a));
        assertTrue(new ChainSpace(2, 3).composedForm().isEmpty());
    }

    @Test
    void architecturesOfAnotherSpaceWithTheSameChoicesTranslateByTheirVector() {
        ComposedSpace original = chain("original");
        ComposedSpace composed = chain("composed");
        ComposedForm form = ComposedForm.sameChoices(original, composed);
        Architecture a = Architecture.of(original, 0, 2);
        Architecture b = form.toComposed(a);
        assertSame(composed, b.space());
        assertEquals("nor_conv_3x3 avg_pool_3x3", b.option(0) + " " + b.option(1));
        assertEquals(a, form.fromComposed(b));
    }

    @Test
    void differentChoicesAndForeignArchitecturesAreRefusedNamingThem() {
        ComposedSpace composed = chain("composed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComposedForm.sameChoices(new ChainSpace(2, 3), composed));
        assertEquals("choice 0 of composed space 'composed' must have the options [o0, o1, o2] of 'edge 0', but had"
                + " [nor_conv_3x3, skip_connect, avg_pool_3x3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ComposedForm.sameChoices(new ChainSpace(3, 3), composed));
        assertTrue(e.getMessage().contains("must have the 3 choices of space"), e.getMessage());
        ComposedForm form = ComposedForm.sameChoices(chain("original"), composed);
        e = assertThrows(IllegalArgumentException.class,
                () -> form.toComposed(Architecture.of(chain("other"), 0, 0)));
        assertTrue(e.getMessage().startsWith("architecture must belong to space "), e.getMessage());
    }
}
