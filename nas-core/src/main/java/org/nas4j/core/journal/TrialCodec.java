package org.nas4j.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * A trial as one journal line and back. Standard metrics are written by name only; every custom metric also gets
 * its direction and visibility in {@code "metric_defs"}, e.g.
 * {@code "metric_defs":{"energy_mj":{"direction":"MINIMIZE","visible":false}}}, so that a resumed search
 * rebuilds exactly the metrics the estimator reported (a report-only metric stays hidden from the strategy).
 * Lines written before definitions existed have none: their custom metrics load as {@link Metric#named}.
 */
final class TrialCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METRIC_DEFS = "metric_defs";

    private TrialCodec() {
    }

    static ObjectNode toJson(Trial t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "trial");
        n.put("id", t.id());
        n.put("architecture", t.architecture().toString());
        n.put("state", t.state().name());
        ObjectNode metrics = n.putObject("metrics");
        ObjectNode defs = JSON.createObjectNode();
        t.metrics().forEach((m, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(m.name(), v);
            } else {
                metrics.put(m.name(), v.toString());
            }
            if (Metric.standard(m.name()).isEmpty()) {
                ObjectNode def = defs.putObject(m.name());
                def.put("direction", m.direction().name());
                def.put("visible", m.visibleToStrategy());
            }
        });
        if (!defs.isEmpty()) {
            n.set(METRIC_DEFS, defs);
        }
        n.put("reason", t.reason());
        n.put("seed", t.seed());
        n.put("fidelity", t.fidelity());
        n.put("seconds", t.seconds());
        t.parent().ifPresent(p -> n.put("parent", p));
        return n;
    }

    /** The trial of a journal line; an exception naming the field when the line is not a valid trial. */
    static Trial fromJson(JsonNode n, SearchSpace space) {
        Architecture a = space.parse(required(n, "architecture").asText());
        JsonNode defs = n.get(METRIC_DEFS);
        if (defs != null && !defs.isObject()) {
            throw new IllegalArgumentException(METRIC_DEFS + " must be an object, but was " + defs);
        }
        JsonNode values = required(n, "metrics");
        Map<Metric, Double> metrics = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = values.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            metrics.put(metric(e.getKey(), defs == null ? null : defs.get(e.getKey())),
                    v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText()));
        }
        if (defs != null) {
            defs.fieldNames().forEachRemaining(name -> {
                if (!values.has(name)) {
                    throw new IllegalArgumentException(METRIC_DEFS + " defines metric '" + name
                            + "', which is not among the trial's metrics " + metrics.keySet());
                }
            });
        }
        return new Trial(required(n, "id").asInt(), a, TrialState.valueOf(required(n, "state").asText()), metrics,
                required(n, "reason").asText(), required(n, "seed").asLong(), required(n, "fidelity").asDouble(),
                required(n, "seconds").asDouble(), parent(n));
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    /**
     * The metric {@code name} as defined by {@code def} (null: no definition, as for standard metrics and in
     * journals written before definitions existed). A definition must agree with a standard metric of that name.
     */
    private static Metric metric(String name, JsonNode def) {
        Optional<Metric> standard = Metric.standard(name);
        if (def == null) {
            return standard.orElseGet(() -> Metric.named(name));
        }
        Metric.Direction direction = direction(name, def.get("direction"));
        JsonNode visible = def.get("visible");
        if (visible == null || !visible.isBoolean()) {
            throw new IllegalArgumentException(METRIC_DEFS + " of metric '" + name + "': visible must be true or "
                    + "false, but was " + visible);
        }
        if (standard.isPresent()) {
            Metric s = standard.get();
            if (s.direction() != direction || s.visibleToStrategy() != visible.asBoolean()) {
                throw new IllegalArgumentException(METRIC_DEFS + " says the standard metric '" + name + "' is "
                        + describe(direction, visible.asBoolean()) + ", but it is "
                        + describe(s.direction(), s.visibleToStrategy()));
            }
            return s;
        }
        return visible.asBoolean() ? Metric.custom(name, direction) : Metric.reportOnly(name, direction);
    }

    private static Metric.Direction direction(String name, JsonNode d) {
        if (d != null && d.isTextual()) {
            for (Metric.Direction value : Metric.Direction.values()) {
                if (value.name().equals(d.asText())) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException(METRIC_DEFS + " of metric '" + name + "': direction must be MAXIMIZE or "
                + "MINIMIZE, but was " + d);
    }

    private static String describe(Metric.Direction direction, boolean visible) {
        return direction + (visible ? " and visible to strategies" : " and hidden from strategies");
    }

    /** The trial's parent; journals written before parents existed have no such field: no parent. */
    private static OptionalInt parent(JsonNode n) {
        JsonNode p = n.get("parent");
        if (p == null || p.isNull()) {
            return OptionalInt.empty();
        }
        if (!p.canConvertToInt() || !p.isIntegralNumber()) {
            throw new IllegalArgumentException("parent must be a trial id, but was " + p);
        }
        return OptionalInt.of(p.asInt());
    }
}
