package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.List;
import org.nas4j.core.space.Choice;

/**
 * The choices of a space as they are declared at {@code build()}, each with the repetitions it belongs to: a
 * choice is <em>active</em> in an architecture when every repetition around it is present, that is when each of its
 * conditions {@code vector[depthChoice] >= minimumOption} holds.
 */
final class ChoiceList {
    private final List<Choice> choices = new ArrayList<>();
    private final List<int[]> conditions = new ArrayList<>();

    /** Adds a choice with the conditions of its place (pairs depth choice, minimum option); returns its index. */
    int add(Choice choice, int[] conditionPairs) {
        for (Choice c : choices) {
            if (c.name().equals(choice.name())) {
                throw new SpaceDefinitionException(DefinitionError.DUPLICATE_NAME, "two choices are named '"
                        + choice.name() + "'; give parts, values and cells distinct names");
            }
        }
        choices.add(choice);
        conditions.add(conditionPairs.clone());
        return choices.size() - 1;
    }

    List<Choice> choices() {
        return List.copyOf(choices);
    }

    int[][] conditions() {
        return conditions.toArray(new int[0][]);
    }

    /** Whether choice {@code i} is active in {@code vector}. */
    static boolean active(int[][] conditions, int i, int[] vector) {
        int[] c = conditions[i];
        for (int k = 0; k < c.length; k += 2) {
            if (vector[c[k]] < c[k + 1]) {
                return false;
            }
        }
        return true;
    }
}
