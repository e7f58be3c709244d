package org.nas4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nas4j.core.journal.Journal;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.SpaceRestriction;

/**
 * What the dashboard's page polls ({@code GET /api/state}), read afresh from the files each time: the space's
 * choices, the rounds with their restrictions, the restriction recorded for the next round, and the report data
 * ({@link ReportData}) of one round's journal as it grows, each trial with its option of every choice.
 */
final class DashboardState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardState() {
    }

    /**
     * The state of a steering session.
     *
     * @param session the session
     * @param running the round running now, 0 if none
     * @param error   why the last round failed, or null
     * @param round   the round whose trials to include, 0 for the latest
     */
    static ObjectNode of(SteeringSession session, int running, String error, int round) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("steerable", true);
        root.put("running", running);
        root.put("nextRound", session.nextRound());
        root.put("error", error);
        root.set("choices", choices(session.space()));
        root.set("pending", restriction(session.restriction(session.nextRound())));
        ArrayNode records = root.putArray("records");
        for (SteeringSession.Record r : session.records()) {
            records.addObject().put("round", r.round()).put("who", r.who()).put("at", r.at().toString())
                    .put("restriction", r.restriction().text());
        }
        List<Integer> rounds = session.rounds();
        ArrayNode list = root.putArray("rounds");
        for (int r : rounds) {
            list.addObject().put("round", r).put("restriction", session.restriction(r).text());
        }
        int shown = round > 0 ? round : rounds.isEmpty() ? 0 : rounds.get(rounds.size() - 1);
        root.put("round", shown);
        if (shown > 0 && rounds.contains(shown)) {
            root.set("data", journalData(session.journal(shown), session.space()));
        }
        return root;
    }

    /** The state of one plain search journal, watched without steering. */
    static ObjectNode ofJournal(Path journal, SearchSpace space) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("steerable", false);
        root.put("running", 0);
        root.set("choices", choices(space));
        root.putArray("records");
        root.putArray("rounds");
        root.put("round", 0);
        root.set("data", journalData(journal, space));
        return root;
    }

    /** The report data of the journal at {@code journal}, or null while it has no header yet. */
    private static ObjectNode journalData(Path journal, SearchSpace space) throws IOException {
        Path file = Journal.fileOf(journal);
        if (!Files.exists(file) || Files.size(file) == 0) {
            return null;
        }
        Journal.Contents contents = Journal.read(journal, space);
        ReportData.ObjectiveSpec objective = ReportData.ObjectiveSpec.parse(contents.header().get("objective"));
        String title = contents.header().getOrDefault("strategy", "?") + " on " + space.name();
        ObjectNode data = ReportData.of(title, contents.header(), objective, contents.trials(), Reports.TOP_K);
        Map<Integer, Trial> byId = new HashMap<>();
        contents.trials().forEach(t -> byId.put(t.id(), t));
        for (var node : data.withArray("trials")) {
            Trial t = byId.get(node.get("id").asInt());
            ArrayNode options = ((ObjectNode) node).putArray("options");
            for (int i = 0; i < t.architecture().size(); i++) {
                options.add(t.architecture().option(i));
            }
        }
        return data;
    }

    private static ArrayNode choices(SearchSpace space) {
        ArrayNode out = JSON.createArrayNode();
        for (Choice c : space.choices()) {
            ObjectNode n = out.addObject().put("name", c.name()).put("kind", c.kind().name());
            ArrayNode options = n.putArray("options");
            c.options().forEach(options::add);
        }
        return out;
    }

    private static ObjectNode restriction(SpaceRestriction r) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode removed = n.putObject("removed");
        r.removed().forEach((choice, options) -> {
            ArrayNode list = removed.putArray(choice);
            options.stream().sorted().forEach(list::add);
        });
        ObjectNode pinned = n.putObject("pinned");
        r.pinned().forEach(pinned::put);
        n.put("text", r.text());
        return n;
    }
}
