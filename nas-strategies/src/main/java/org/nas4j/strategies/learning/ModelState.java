package org.nas4j.strategies.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and restores an engine model's weights and its Adam state as JSON, bit for bit (through {@link StateCodec}),
 * so that a strategy whose state includes a learned model continues identically after a restore.
 */
public final class ModelState {
    private ModelState() {
    }

    /** The values of every parameter of {@code params}, as {@link StateCodec} text. */
    public static String saveValues(ParameterSet params) {
        return StateCodec.encode(params.values().toDoubleVector());
    }

    /** Restores what {@link #saveValues} wrote into {@code params}, checking the length; {@code what} names it. */
    public static void restoreValues(JsonNode node, ParameterSet params, String what) {
        double[] v = new double[(int) params.values().length()];
        StateCodec.decodeInto(node, v, what);
        params.values().assign(Nd4j.createFromArray(v).castTo(params.dataType()));
    }

    /** Adam's moments, per-parameter update counts and step count. */
    public static ObjectNode saveAdam(Adam adam) {
        Adam.State st = adam.state();
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("steps", st.steps());
        s.put("m", StateCodec.encode(st.firstMoment()));
        s.put("v", StateCodec.encode(st.secondMoment()));
        for (long u : st.updates()) {
            s.withArray("updates").add(u);
        }
        return s;
    }

    /** Restores what {@link #saveAdam} wrote into {@code adam}. */
    public static void restoreAdam(JsonNode s, Adam adam) {
        JsonNode counts = s.get("updates");
        long[] updates = new long[counts.size()];
        for (int i = 0; i < updates.length; i++) {
            updates[i] = counts.get(i).asLong();
        }
        adam.restore(new Adam.State(StateCodec.decode(s.get("m").asText()), StateCodec.decode(s.get("v").asText()),
                updates, s.get("steps").asLong()));
    }
}
