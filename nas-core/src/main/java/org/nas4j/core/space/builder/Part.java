package org.nas4j.core.space.builder;

import java.util.List;
import java.util.Objects;

/** One part of a space's chain, as the builder records it (checked at {@code build()}). */
sealed interface Part {

    /** The part's name, unique in its chain. */
    String name();

    /**
     * A layer: one op (fixed) or an op choice, mapping its input to {@code width} channels with {@code stride}.
     *
     * @param head whether it is the classifier head (its width is the class count)
     */
    record Layer(String name, List<String> ops, Width width, int stride, boolean head) implements Part {
        public Layer {
            Objects.requireNonNull(name, "name");
            ops = List.copyOf(ops);
            Objects.requireNonNull(width, "width");
        }
    }

    /** A block of parts repeated between {@code min} and {@code max} times, with its own value choices. */
    record Repeat(String name, int min, int max, List<ValueChoice> values, List<Part> body) implements Part {
        public Repeat {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
            body = List.copyOf(body);
        }
    }

    /** An auxiliary head reading the output of the step before it (training only), mapping to {@code classes}. */
    record Auxiliary(String name, String op, int classes) implements Part {
        public Auxiliary {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(op, "op");
        }
    }

    /** A placement of a cell template with {@code width} channels per node. */
    record Cell(String name, CellTemplate template, Width width) implements Part {
        public Cell {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(width, "width");
        }
    }

    /**
     * A join: one op on the output of each of several earlier parts (each op fixed or chosen; a choice that
     * includes {@code none} makes its input optional), summed, then {@code op} (or nothing when it is
     * {@code "identity"}), to {@code width} channels; every input op runs with {@code stride}.
     */
    record Join(String name, List<Join.Input> inputs, String op, Width width, int stride) implements Part {
        public Join {
            Objects.requireNonNull(name, "name");
            inputs = List.copyOf(inputs);
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(width, "width");
        }

        /**
         * One input of a join.
         *
         * @param label names its op choice ({@code <join>.<label>})
         * @param from  the earlier part it reads ({@code "input"}: the network's input)
         * @param ops   the op on it, or the ops to choose from
         */
        record Input(String label, String from, List<String> ops) {
            public Input {
                Objects.requireNonNull(label, "label");
                Objects.requireNonNull(from, "from");
                ops = List.copyOf(ops);
            }
        }
    }
}
