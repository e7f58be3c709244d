package org.nas4j.core.space.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The readable text of a space definition, one line per part (what {@link ComposedSpace#definition()} gives). */
final class DefinitionText {
    private final List<String> lines = new ArrayList<>();
    private final Map<String, CellTemplate> templates = new LinkedHashMap<>();

    private DefinitionText() {
    }

    static String of(SpaceBuilder.Definition d) {
        DefinitionText t = new DefinitionText();
        t.lines.add("space " + d.name() + ": input " + d.input() + ", classes " + d.classes());
        if (d.batchStatisticsInInference()) {
            t.lines.add("  batch norm: batch statistics in inference");
        }
        if (d.dropoutInInference()) {
            t.lines.add("  dropout: also in inference");
        }
        t.values(d.values(), "  ");
        t.parts(d.parts(), "  ");
        for (CellTemplate c : t.templates.values()) {
            t.lines.add("  cell " + c.name() + ": inputs " + c.inputs() + ", output " + c.output().name().toLowerCase()
                    + (c.reduction() ? ", reduction" : ""));
            for (CellTemplate.Node n : c.nodes()) {
                String from = n.from() == null ? "earlier states" : n.from().toString();
                String pick = n.pick() == 0 ? "all of " + from : n.pick() + " of " + from
                        + (n.distinct() ? " distinct" : "");
                t.lines.add("    node " + n.name() + ": " + pick + ", ops " + n.ops());
            }
        }
        if (d.maxParameters() != null) {
            t.lines.add("  constraint parameters <= " + d.maxParameters());
        }
        if (d.maxMultiplyAdds() != null) {
            t.lines.add("  constraint multiply-adds <= " + d.maxMultiplyAdds());
        }
        for (SpaceConstraint c : d.constraints()) {
            t.lines.add("  constraint " + c.description());
        }
        return String.join("\n", t.lines);
    }

    private void values(List<ValueChoice> values, String indent) {
        for (ValueChoice v : values) {
            lines.add(indent + "value " + v);
        }
    }

    private void parts(List<Part> parts, String indent) {
        for (Part p : parts) {
            if (p instanceof Part.Layer l) {
                String ops = l.ops().size() == 1 ? l.ops().get(0) : l.ops().toString();
                lines.add(indent + (l.head() ? "head" : l.ops().size() == 1 ? "layer " + l.name() : "choice "
                        + l.name()) + ": " + ops + " -> " + l.width() + (l.stride() != 1 ? ", stride " + l.stride()
                        : ""));
            } else if (p instanceof Part.Repeat r) {
                lines.add(indent + "repeat " + r.name() + " " + r.min() + ".." + r.max() + ":");
                values(r.values(), indent + "  ");
                parts(r.body(), indent + "  ");
            } else if (p instanceof Part.Auxiliary a) {
                lines.add(indent + "auxiliary head: " + a.op() + " -> " + a.classes());
            } else if (p instanceof Part.Join j) {
                lines.add(indent + "join " + j.name() + " -> " + j.width() + (j.stride() != 1 ? ", stride " + j.stride()
                        : "") + (j.op().equals("identity") ? "" : ", then " + j.op()) + ":");
                for (Part.Join.Input in : j.inputs()) {
                    lines.add(indent + "  input " + in.label() + " from " + in.from() + ": "
                            + (in.ops().size() == 1 ? in.ops().get(0) : in.ops().toString()));
                }
            } else if (p instanceof Part.Cell c) {
                templates.putIfAbsent(c.template().name(), c.template());
                lines.add(indent + "cell " + c.name() + " -> " + c.width());
            }
        }
    }
}
