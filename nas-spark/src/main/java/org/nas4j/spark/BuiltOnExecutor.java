package org.nas4j.spark;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.space.SearchSpace;

/**
 * The space and estimator of a search, built from its broadcast recipes once per executor JVM and shared by the
 * trials that JVM runs (Estimator implementations are thread-safe). This is the one piece of state kept across
 * tasks, per JVM, because a Spark task has no other place to keep it; it holds the searches of the last
 * {@value #KEPT} searches, so a long-lived executor does not keep every past search's estimator (and its data).
 *
 * @param space     the space
 * @param estimator the estimator
 */
record BuiltOnExecutor(SearchSpace space, Estimator estimator) {
    static final int KEPT = 4;
    private static final Map<String, BuiltOnExecutor> BUILT = new LinkedHashMap<>();

    /** The space and estimator of the search of {@code recipes}, built from them by the first trial that asks. */
    static BuiltOnExecutor of(TrialRecipes recipes) throws Exception {
        synchronized (BUILT) {
            BuiltOnExecutor built = BUILT.get(recipes.search());
            if (built == null) {
                built = new BuiltOnExecutor(recipes.space().create(), recipes.estimator().create());
                BUILT.put(recipes.search(), built);
                Iterator<String> oldest = BUILT.keySet().iterator();
                while (BUILT.size() > KEPT) {
                    oldest.next();
                    oldest.remove();
                }
            }
            return built;
        }
    }
}
