package org.nas4j.core.search;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.journal.JournalMismatchException;

/** A resume with a configuration that differs in one setting is refused, naming that setting. */
class ConfigurationHeaderTest {

    private static Estimator estimator(int channels) {
        String description = Configuration.of("toy-training").with("epochs", 2)
                .with("network", Configuration.of("toy-net").with("channels", channels).with("layers", 3))
                .toString();
        return ToySpace.scoring(description);
    }

    private static SearchRunner runner(int channels, Path journal) {
        return SearchRunner.builder(new ToySpace(6, 4), new GreedyToyStrategy()).estimator(estimator(channels))
                .budget(Budget.trials(3)).seed(1).journal(journal).build();
    }

    @Test
    void aResumeWithAnotherNetworkSettingIsRefusedNamingTheField(@TempDir Path dir) {
        runner(16, dir).run();
        runner(16, dir).run();
        JournalMismatchException e = assertThrows(JournalMismatchException.class, () -> runner(36, dir).run());
        assertTrue(e.getMessage().contains("estimator: network.channels is 16 in the journal but 36 in this search"),
                e.getMessage());
    }
}
