package org.nas4j.core.journal;

import java.util.List;
import java.util.stream.Collectors;
import org.nas4j.core.config.Configuration;

/**
 * Says how a journal header field differs from this search's: by the settings inside it where both are
 * {@link Configuration} texts ({@code "estimator: network.channels is 16 in the journal but 36 in this search"}),
 * else by the whole values.
 */
final class HeaderMismatch {
    private HeaderMismatch() {
    }

    /**
     * The explanation of a mismatch of header field {@code field}.
     *
     * @param field   the header field, e.g. {@code "estimator"}
     * @param written its value in the journal (null where the journal has none)
     * @param current its value in this search
     * @return one sentence naming the differing settings
     */
    static String describe(String field, String written, String current) {
        List<Configuration.Difference> differences = differences(written, current);
        if (differences.isEmpty()) {
            return "its " + field + " is '" + written + "' but this search's is '" + current + "'";
        }
        return differences.stream().map(d -> field + ": " + (d.path().isEmpty() ? "" : d.path() + " ")
                        + "is " + text(d.left()) + " in the journal but " + text(d.right()) + " in this search")
                .collect(Collectors.joining("; "));
    }

    private static List<Configuration.Difference> differences(String written, String current) {
        if (written == null) {
            return List.of();
        }
        try {
            return Configuration.parse(written).differences(Configuration.parse(current));
        } catch (IllegalArgumentException notConfigurations) {
            return List.of();
        }
    }

    private static String text(String value) {
        return value == null ? "absent" : value;
    }
}
