package org.nas4j.core.search;

import java.io.PrintStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Built-in listeners. */
public final class Listeners {
    private Listeners() {
    }

    /**
     * A one-line progress bar on standard error: trials done, failures, elapsed time and the best value so far.
     * On a terminal the line redraws itself; otherwise one line is printed every 5% of the trial budget.
     */
    public static SearchListener progressBar() {
        return progressBar(System.err, System.console() != null);
    }

    /** A progress bar on {@code out}; {@code redraw} overwrites the line with carriage returns. */
    public static SearchListener progressBar(PrintStream out, boolean redraw) {
        return new SearchListener() {
            private int lastPrintedStep = -1;

            @Override
            public void onTrialFinished(Trial trial, SearchProgress p) {
                int total = p.budget().maxTrials();
                boolean bounded = total != Integer.MAX_VALUE;
                int step = bounded ? (int) (20L * p.finished() / total) : p.finished() / 10;
                if (!redraw && step == lastPrintedStep && !(bounded && p.finished() == total)) {
                    return;
                }
                lastPrintedStep = step;
                String bar = bounded ? "[" + "#".repeat(Math.min(step, 20)) + " ".repeat(Math.max(0, 20 - step)) + "] "
                        + p.finished() + "/" + total : p.finished() + " trials";
                Metric m = p.objective().metric();
                String best = p.best().map(b -> String.format(Locale.ROOT, "  best %s=%.4f", m, b.value(m)))
                        .orElse("");
                String line = String.format(Locale.ROOT, "%s  failed %d  %ds%s", bar, p.failed(),
                        p.elapsed().toSeconds(), best);
                if (redraw) {
                    out.print("\r" + line);
                    if (bounded && p.finished() == total) {
                        out.println();
                    }
                } else {
                    out.println(line);
                }
                out.flush();
            }

            @Override
            public void onSearchFinished(SearchResult result) {
                if (redraw) {
                    out.println();
                }
            }
        };
    }

    /** Logs every finished trial at INFO through SLF4J (logger {@code org.nas4j.search}). */
    public static SearchListener log() {
        Logger log = LoggerFactory.getLogger("org.nas4j.search");
        return new SearchListener() {
            @Override
            public void onTrialFinished(Trial t, SearchProgress p) {
                log.info("trial {} {} {} {} {}", t.id(), t.state(), t.architecture(), t.metrics(), t.reason());
            }
        };
    }
}
