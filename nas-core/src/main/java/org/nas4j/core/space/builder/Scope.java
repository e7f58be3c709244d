package org.nas4j.core.space.builder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value choices visible at one place of a space: those of the space and of every enclosing repetition, the
 * innermost first. A value with one option is a constant, not a choice. Built once at {@code build()} (recording
 * which values are used), read-only afterwards.
 */
final class Scope {

    /** One declared value: its choice index in the vector, or -1 and its constant option. */
    static final class Slot {
        final ValueChoice value;
        final String path;
        final int choice;
        boolean used;
        /** Whether only {@link Width#range} widths read it (no op name, no other width). */
        boolean rangeOnly = true;

        Slot(ValueChoice value, String path, int choice) {
            this.value = value;
            this.path = path;
            this.choice = choice;
        }

        String option(int[] vector) {
            return choice < 0 ? value.options().get(0) : value.options().get(vector[choice]);
        }
    }

    private final Scope parent;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    void declare(Slot slot) {
        slots.put(slot.value.name(), slot);
    }

    boolean declaresHere(String name) {
        return slots.containsKey(name);
    }

    /** The slot of {@code name}, or null if no scope declares it. */
    Slot find(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Slot slot = s.slots.get(name);
            if (slot != null) {
                return slot;
            }
        }
        return null;
    }

    /** The option of value {@code name} in {@code vector}; an exception if it is not in scope. */
    String option(String name, int[] vector) {
        Slot slot = find(name);
        if (slot == null) {
            throw new IllegalArgumentException("unknown value '" + name + "'");
        }
        return slot.option(vector);
    }

    Iterable<Slot> slots() {
        return slots.values();
    }
}
