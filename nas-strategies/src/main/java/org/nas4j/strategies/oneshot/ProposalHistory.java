package org.nas4j.strategies.oneshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.space.SearchSpace;

/**
 * The proposals a one-shot strategy made so far, as JSON for its checkpoint: each architecture in the space's text
 * form with the metrics the strategy measured. A resumed strategy hands them out again while the runner replays
 * its journal.
 */
final class ProposalHistory {
    private ProposalHistory() {
    }

    /** {@code proposals} as a JSON array. */
    static ArrayNode write(SearchSpace space, List<Proposal> proposals) {
        ArrayNode epochs = JsonNodeFactory.instance.arrayNode();
        for (Proposal p : proposals) {
            ObjectNode e = epochs.addObject();
            e.put("architecture", space.format(p.architecture()));
            ObjectNode m = e.putObject("measured");
            // by name: a proposal's metrics have no order, and a checkpoint's bytes should not depend on one
            Map<String, Double> byName = new TreeMap<>();
            p.measured().forEach((k, v) -> byName.put(k.name(), v));
            byName.forEach(m::put);
        }
        return epochs;
    }

    /** The proposals of an array written by {@link #write}, appended to {@code into}. */
    static void read(SearchSpace space, JsonNode array, List<Proposal> into) {
        for (JsonNode e : array) {
            Map<Metric, Double> measured = new LinkedHashMap<>();
            e.get("measured").fields().forEachRemaining(f -> measured.put(metric(f.getKey()),
                    f.getValue().asDouble()));
            into.add(Proposal.of(space.parse(e.get("architecture").asText())).withMeasured(measured));
        }
    }

    /** The one-shot strategies' own metrics by name, else the standard (or a custom) metric. */
    private static Metric metric(String name) {
        for (Metric m : List.of(GradientOneShot.SUPERNET_TRAIN_LOSS, GradientOneShot.EPOCH_SECONDS,
                GradientOneShot.PARAM_FREE_OPS)) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return Metric.named(name);
    }
}
