package org.nas4j.spaces.enas;

import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;

/**
 * The ENAS reference's arcs: white-space separated integers, one per choice of the space in its order, each the
 * index of the option taken. Shared by the macro arc (per layer its op id, then its skip flags) and the micro arc
 * ({@code x_id x_op y_id y_op} per node).
 */
final class ReferenceArc {
    private ReferenceArc() {
    }

    /**
     * Reads {@code arc} as an architecture of {@code space}.
     *
     * @param layout how the arc's numbers are grouped, for the error message, e.g. "4 per node"; empty for none
     * @throws IllegalArgumentException naming the position of a bad number, or the count when it does not fit
     */
    static Architecture parse(ComposedSpace space, String arc, String layout) {
        if (arc == null) {
            throw new IllegalArgumentException("arc must not be null");
        }
        String[] tokens = arc.strip().split("\\s+");
        int[] vector = new int[space.choices().size()];
        if (tokens.length != vector.length) {
            throw new IllegalArgumentException("arc must have " + vector.length + " numbers"
                    + (layout.isEmpty() ? "" : " (" + layout + ")") + " for space '" + space.name() + "', but had "
                    + tokens.length);
        }
        for (int i = 0; i < tokens.length; i++) {
            int options = space.choices().get(i).size();
            int value;
            try {
                value = Integer.parseInt(tokens[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("arc number " + i + " ('" + space.choices().get(i).name()
                        + "') must be an integer, but was '" + tokens[i] + "'", e);
            }
            if (value < 0 || value >= options) {
                throw new IllegalArgumentException("arc number " + i + " ('" + space.choices().get(i).name()
                        + "') must be in [0, " + (options - 1) + "], but was " + value);
            }
            vector[i] = value;
        }
        return Architecture.of(space, vector);
    }

    /** {@code architecture} as an arc (the inverse of {@link #parse}). */
    static String format(Architecture architecture) {
        StringBuilder s = new StringBuilder();
        for (int v : architecture.vector()) {
            s.append(s.length() == 0 ? "" : " ").append(v);
        }
        return s.toString();
    }
}
