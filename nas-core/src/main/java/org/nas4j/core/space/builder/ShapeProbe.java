package org.nas4j.core.space.builder;

import java.util.List;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.Shape;

/**
 * The shape check of {@code build()}: lays out the network of a base vector (every repetition present, every other
 * choice at option 0) and of each vector that differs from it in one choice (of a value read only as channel ranges,
 * one option per count), checking every candidate op on every candidate input of each cell node. A definition whose
 * shapes cannot meet fails here with {@link DefinitionError#SHAPE_MISMATCH}, before any architecture is drawn.
 */
final class ShapeProbe {

    private ShapeProbe() {
    }

    static void check(Layout layout, Shape input) {
        List<Choice> choices = layout.choices();
        int[] base = new int[choices.size()];
        for (Layout.Node n : layout.root()) {
            maxDepth(n, base);
        }
        Planner.plan(layout, input, base, true);
        for (int i = 0; i < base.length; i++) {
            // a value read only as channel ranges shapes the network by its counts: one option per count suffices
            java.util.Set<Integer> counts = new java.util.HashSet<>();
            boolean ranges = layout.rangeOnly(i);
            for (int o = 0; o < choices.get(i).size(); o++) {
                if (ranges && !counts.add(ChannelRange.parse(choices.get(i).name(), choices.get(i).options().get(o))
                        .count())) {
                    continue;
                }
                if (o != base[i]) {
                    int[] v = base.clone();
                    v[i] = o;
                    Planner.plan(layout, input, v, true);
                }
            }
        }
    }

    private static void maxDepth(Layout.Node node, int[] vector) {
        if (node instanceof Layout.RepeatNode r) {
            if (r.depthChoice() >= 0) {
                vector[r.depthChoice()] = r.max() - r.min();
            }
            for (List<Layout.Node> rep : r.repetitions()) {
                for (Layout.Node n : rep) {
                    maxDepth(n, vector);
                }
            }
        }
    }
}
