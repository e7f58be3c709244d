package org.nas4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.export.LanguageModelExport;
import org.nas4j.estimators.language.LanguageModelEstimator;
import org.nas4j.estimators.language.RecurrentSupernetTrainer;
import org.nas4j.estimators.language.SegmentLength;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;
import org.nas4j.spaces.recurrent.RecurrentGenotype;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.oneshot.DartsRecurrentSearch;

/**
 * A random search (or, with {@code --method darts}, DARTS' first-order one-shot search, {@link DartsRecurrentSearch};
 * {@code darts2}: its second order, {@code RecurrentSupernetTrainer.Builder.unrolled})
 * over DARTS' recurrent cell space ({@code darts-rnn}) with validation perplexity as the objective: every sampled
 * (or the derived) cell's character-level language model is trained from scratch on tiny Shakespeare (90/5/5 split
 * by position) for a few hundred truncated-BPTT steps and scored on the validation split; then DARTS_V2's cell gets
 * the same budget. Prints {@code RESULT space=darts-rnn method=<random|darts|darts2> best=<text> valid_ppl=<p> params=<n>} and
 * {@code RESULT cell=darts-v2-rnn valid_ppl=<p> params=<n>}. About 2-3 minutes on 2 cores with the defaults.
 * docs/spaces/recurrent.md has the figures.
 *
 * <p>Arguments: {@code --text ../shared/data/text/tinyshakespeare.txt} (found by walking up from the working
 * directory when not given) {@code --trials 8} {@code --minutes 2} (search wall clock) {@code --steps 150}
 * (SGD steps per cell) {@code --hidden 48} {@code --batch 32} {@code --bptt 35} {@code --eval-batch 64} (columns of
 * the validation split; the reference evaluates in 10, slower here and within a few percent in perplexity)
 * {@code --seed 42} {@code --space darts-rnn} (or {@code enas-rnn}) {@code --published darts-v2-rnn} (the
 * published cells trained after the search with the same budget, comma-separated names of
 * {@link RecurrentGenotypes#all()}; empty: none) {@code --method random} (or {@code darts}, {@code darts2}: the supernet is trained
 * for {@code --search-segments 100} pairs of architecture and weight steps at {@code --search-hidden 32},
 * {@code --search-batch 32}, SGD at {@code --search-lr 2} (the reference's 20 is too large a step at 32 hidden units:
 * the loss stays above uniform, docs/spaces/recurrent.md), segments of {@code --search-length fixed} (or
 * {@code search}, {@code train}: the reference's drawn lengths, {@code SegmentLength}), then the derived cell is
 * retrained as above; use {@code --trials 1}) {@code --export best.zip} (empty: no export; otherwise the best
 * cell's model is trained again with the same budget and seed and written as a DL4J {@code ComputationGraph},
 * {@link LanguageModelExport}) {@code --nonmono 0} (a positive number: every cell is trained by NT-ASGD,
 * {@code LanguageModelEstimator.Builder.averagedAfterStall}, the validation split evaluated every
 * {@code --eval-every 50} segments; the reference's {@code rnn/train.py}: 5).
 */
public final class LanguageModelSearch {
    private LanguageModelSearch() {
    }

    public static void main(String[] args) throws IOException {
        Arguments a = Arguments.parse(args, Map.ofEntries(
                Map.entry("--text", ""),
                Map.entry("--trials", "8"),
                Map.entry("--minutes", "2"),
                Map.entry("--steps", "150"),
                Map.entry("--hidden", "48"),
                Map.entry("--batch", "32"),
                Map.entry("--bptt", "35"),
                Map.entry("--eval-batch", "64"),
                Map.entry("--seed", "42"),
                Map.entry("--space", "darts-rnn"),
                Map.entry("--method", "random"),
                Map.entry("--search-segments", "100"),
                Map.entry("--search-hidden", "32"),
                Map.entry("--search-batch", "32"),
                Map.entry("--search-lr", "2"),
                Map.entry("--search-length", "fixed"),
                Map.entry("--published", "darts-v2-rnn"),
                Map.entry("--nonmono", "0"),
                Map.entry("--eval-every", "50"),
                Map.entry("--export", "")));
        Path text = a.get("--text").isEmpty() ? findText() : Path.of(a.get("--text"));
        CharacterCorpus corpus = CharacterCorpus.read(text);
        RecurrentCellSpace space = switch (a.get("--space")) {
            case "darts-rnn" -> RecurrentCellSpace.darts();
            case "enas-rnn" -> RecurrentCellSpace.enas();
            default -> throw new IllegalArgumentException("--space must be darts-rnn or enas-rnn, but was '"
                    + a.get("--space") + "'");
        };
        long seed = Long.parseLong(a.get("--seed"));
        LanguageModelEstimator.Builder training = Estimators.languageModel(corpus)
                .hiddenSize(Arguments.positiveInt("--hidden", a.get("--hidden")))
                .batch(Arguments.positiveInt("--batch", a.get("--batch")))
                .bptt(Arguments.positiveInt("--bptt", a.get("--bptt")))
                .steps(Arguments.positiveInt("--steps", a.get("--steps")))
                .evaluationBatch(Arguments.positiveInt("--eval-batch", a.get("--eval-batch")));
        int nonmono = Integer.parseInt(a.get("--nonmono"));
        if (nonmono != 0) {
            training.averagedAfterStall(nonmono, Arguments.positiveInt("--eval-every", a.get("--eval-every")));
        }
        LanguageModelEstimator estimator = training.build();
        System.out.printf(Locale.ROOT, "corpus %s: %d characters, vocabulary %d; %s%n", corpus.name(),
                corpus.length(), corpus.vocabulary(), estimator.description());
        StrategyFactory strategy = switch (a.get("--method")) {
            case "random" -> Strategies.randomSearch();
            case "darts", "darts2" -> {
                RecurrentSupernetTrainer trainer = RecurrentSupernetTrainer.builder(corpus)
                        .hiddenSize(Arguments.positiveInt("--search-hidden", a.get("--search-hidden")))
                        .batch(Arguments.positiveInt("--search-batch", a.get("--search-batch")))
                        .bptt(Arguments.positiveInt("--bptt", a.get("--bptt")))
                        .segments(Arguments.positiveInt("--search-segments", a.get("--search-segments")))
                        .learningRate(Double.parseDouble(a.get("--search-lr")))
                        .segmentLength(segmentLength(a.get("--search-length")))
                        .unrolled(a.get("--method").equals("darts2"))
                        .build();
                System.out.println(trainer.description());
                yield Strategies.dartsRecurrent(trainer);
            }
            default -> throw new IllegalArgumentException("--method must be random, darts or darts2, but was '"
                    + a.get("--method") + "'");
        };
        SearchResult result = SearchRunner.builder(space, strategy)
                .estimator(estimator)
                .objective(Objective.minimize(Metric.VALIDATION_PERPLEXITY))
                .budget(Budget.trials(Arguments.positiveInt("--trials", a.get("--trials")))
                        .orWallClock(Duration.ofSeconds(Math.round(60 * Double.parseDouble(a.get("--minutes"))))))
                .parallelism(1)
                .seed(seed)
                .listener(Listeners.progressBar())
                .build().run();
        Trial best = result.best();
        System.out.printf(Locale.ROOT, "RESULT space=%s method=%s best=%s valid_ppl=%.3f params=%d%n", space.name(),
                a.get("--method"), best.architecture(), best.value(Metric.VALIDATION_PERPLEXITY),
                Math.round(best.value(Metric.PARAMETERS)));
        System.out.printf(Locale.ROOT, "%d trials, %.1f s training each on average%n", result.trials().size(),
                result.trials().stream().mapToDouble(t -> t.value(Metric.TRAINING_SECONDS)).filter(Double::isFinite)
                        .average().orElse(Double.NaN));
        if (best.value(DartsRecurrentSearch.SEARCH_SECONDS) > 0) {
            System.out.printf(Locale.ROOT, "supernet: %.1f s, last training loss %.3f nats%n",
                    best.value(DartsRecurrentSearch.SEARCH_SECONDS),
                    best.value(DartsRecurrentSearch.SEARCH_TRAIN_LOSS));
        }
        if (!a.get("--export").isEmpty()) {
            Path file = Path.of(a.get("--export"));
            RecurrentGenotype cell = space.genotype(best.architecture());
            Evaluation e = estimator.evaluate(cell, seed, 1.0, lm -> {
                try {
                    LanguageModelExport.save(lm, file);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            System.out.printf(Locale.ROOT, "exported to %s: the best cell trained again (valid_ppl=%.3f), a DL4J"
                    + " ComputationGraph (ModelSerializer.restoreComputationGraph reads it back)%n", file,
                    e.value(Metric.VALIDATION_PERPLEXITY));
        }
        for (String name : a.get("--published").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Evaluation e = estimator.evaluate(RecurrentGenotypes.byName(name.strip()), seed, 1.0);
            System.out.printf(Locale.ROOT, "RESULT cell=%s valid_ppl=%.3f params=%d%n", name.strip(),
                    e.value(Metric.VALIDATION_PERPLEXITY), Math.round(e.value(Metric.PARAMETERS)));
        }
    }

    /** {@code shared/data/text/tinyshakespeare.txt} in the working directory or a folder above it. */
    static Path findText() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve(CharacterCorpus.TINY_SHAKESPEARE);
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return Path.of("..").resolve(CharacterCorpus.TINY_SHAKESPEARE);
    }

    private static SegmentLength segmentLength(String name) {
        for (SegmentLength l : SegmentLength.values()) {
            if (l.name().toLowerCase(Locale.ROOT).equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("--search-length must be fixed, search or train, but was '" + name + "'");
    }
}
