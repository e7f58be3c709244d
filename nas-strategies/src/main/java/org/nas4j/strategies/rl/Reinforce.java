package org.nas4j.strategies.rl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalDouble;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.Choice;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.strategies.learning.ModelState;
import org.nas4j.strategies.learning.StateCodec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * REINFORCE (Williams 1992) as used for NAS by Zoph and Le (ICLR 2017) and NASNet (CVPR 2018): a controller emits
 * the choice vector step by step; each finished trial updates it by one policy-gradient step on
 * {@code (R - b) * log p(a) + entropyWeight * H}, where {@code R} is the trial's score, {@code b} an exponential
 * moving average of past rewards, {@code H} the entropy of the controller's softmaxes along the trajectory,
 * with Adam. Each ask samples a fresh vector (resampled while the space finds it invalid); each tell recomputes
 * the trajectory's log-probability under the current weights.
 *
 * <p>Defaults: one-layer LSTM controller with 100 units (NASNet), uniform initialisation in [-0.08, 0.08] (Zoph and
 * Le), entropy weight 1e-4 (ENAS, NASNet), baseline decay 0.9 (NAS-Bench-201).
 * {@code controller(Controller.INDEPENDENT)} gives the NAS-Bench-201 paper's policy: one independent softmax
 * per choice. The baseline starts at the first reward (so that the first trial is neither rewarded nor punished); a
 * failed or infeasible trial gets the worst reward seen so far.
 *
 * <p>Two defaults differ from the papers, whose searches ran thousands of samples: rewards are ranks (fitness
 * shaping, {@link #rankRewards}), which makes one learning rate fit objectives of any scale, and the Adam learning
 * rate is set for budgets of 100-200 trials: 0.002 for the LSTM and 0.1 for independent logits (the papers: 0.0006
 * and 0.01 with raw rewards, which leave the policy close to uniform after 200 trials). Both rates were chosen on
 * held-out problems, the latency tables of NAS-Bench-201 cells ({@code Nb201LatencyBenchmark}), not on the accuracy
 * tables the benchmarks report. {@link #paperSettings()} restores the papers' values.
 *
 * <pre>{@code
 * StrategyFactory rl = Strategies.reinforce().hiddenUnits(35).learningRate(0.0006);
 * }</pre>
 */
public final class Reinforce implements StrategyFactory {

    /** The controller's form. */
    public enum Controller {
        /** A one-layer LSTM that feeds each choice to the next step (Zoph and Le; NASNet). */
        LSTM,
        /** One independent softmax per choice (the NAS-Bench-201 baseline). */
        INDEPENDENT,
        /**
         * ENAS' micro controller ({@link EnasMicroController}): node by node, input indices by attention over the
         * earlier states, ops by a softmax; only for the choice vector of an ENAS micro space.
         */
        ENAS_MICRO,
        /**
         * ENAS' macro controller ({@link EnasMacroController}): layer by layer, a branch (or a channel range per
         * branch) by a softmax, then skip flags by attention over the earlier layers, with a skip penalty; only for
         * the choice vector of an ENAS macro space.
         */
        ENAS_MACRO
    }

    private final Controller controller;
    private final int hiddenUnits;
    /** The learning rate the user set; empty: the default of the controller (and of the settings' origin). */
    private final OptionalDouble learningRate;
    private final double baselineDecay;
    private final double entropyWeight;
    private final double initRange;
    /** Whether the user chose rank rewards; empty: the default (true, or false with paper settings). */
    private final Optional<Boolean> rankRewards;
    private final boolean avoidDuplicates;
    /** Whether the defaults are the papers' ({@link #paperSettings()}). */
    private final boolean paperDefaults;
    /** Trials whose policy gradients are averaged into one optimizer step; 1: a step per trial. */
    private final int aggregate;
    /** The micro controller's own settings (used with {@link Controller#ENAS_MICRO}). */
    private final MicroControllerSettings micro;
    /** The macro controller's own settings (used with {@link Controller#ENAS_MACRO}). */
    private final MacroControllerSettings macro;
    /** ENAS' update: entropy in the reward without gradient, baseline from 0 moved before the advantage. */
    private final boolean enasUpdate;
    /** Scores are multiplied by it before they become rewards. */
    private final double rewardScale;

    private Reinforce(Controller controller, int hiddenUnits, OptionalDouble learningRate, double baselineDecay,
                      double entropyWeight, double initRange, Optional<Boolean> rankRewards,
                      boolean avoidDuplicates, boolean paperDefaults, int aggregate, MicroControllerSettings micro,
                      MacroControllerSettings macro, boolean enasUpdate, double rewardScale) {
        this.macro = macro;
        this.rewardScale = rewardScale;
        this.micro = micro;
        this.enasUpdate = enasUpdate;
        this.controller = controller;
        this.hiddenUnits = hiddenUnits;
        this.learningRate = learningRate;
        this.baselineDecay = baselineDecay;
        this.entropyWeight = entropyWeight;
        this.initRange = initRange;
        this.rankRewards = rankRewards;
        this.avoidDuplicates = avoidDuplicates;
        this.paperDefaults = paperDefaults;
        this.aggregate = aggregate;
    }

    /** REINFORCE with the defaults above. */
    public static Reinforce create() {
        return new Reinforce(Controller.LSTM, 100, OptionalDouble.empty(), 0.9, 1e-4, 0.08, Optional.empty(), true,
                false, 1, MicroControllerSettings.reference(), MacroControllerSettings.reference(), false, 1);
    }

    /**
     * This configuration with the papers' defaults for the reward and the learning rate: raw scores as rewards, and
     * Adam learning rate 0.0006 for the LSTM (Zoph and Le) or 0.01 for independent logits (NAS-Bench-201 /
     * NATS-Bench scripts). A learning rate or reward set explicitly (before or after this call) still wins, and the
     * controller may be chosen before or after: its paper rate applies either way.
     */
    public Reinforce paperSettings() {
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, true, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /** The controller. Default {@link Controller#LSTM}. */
    public Reinforce controller(Controller c) {
        if (c == null) {
            throw new IllegalArgumentException("controller must not be null");
        }
        return new Reinforce(c, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /** LSTM units (and embedding size), in [1, 1024]. Default 100 (NASNet). */
    public Reinforce hiddenUnits(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("hiddenUnits must be in [1, 1024], but was " + n);
        }
        return new Reinforce(controller, n, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /**
     * Adam learning rate, in (0, 1]. Default, unless set here: 0.002 for the LSTM and 0.1 for independent logits,
     * chosen for budgets of 100-200 trials on held-out latency objectives (see the class comment); with
     * {@link #paperSettings()}, the papers' 0.0006 and 0.01.
     */
    public Reinforce learningRate(double lr) {
        if (!(lr > 0 && lr <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], but was " + lr);
        }
        return new Reinforce(controller, hiddenUnits, OptionalDouble.of(lr), baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /** Decay of the moving-average baseline, in [0, 1). Default 0.9 (NAS-Bench-201). */
    public Reinforce baselineDecay(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("baselineDecay must be in [0, 1), but was " + decay);
        }
        return new Reinforce(controller, hiddenUnits, learningRate, decay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /** Weight of the entropy bonus, >= 0. Default 1e-4 (ENAS, NASNet). */
    public Reinforce entropyWeight(double w) {
        if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("entropyWeight must be a finite number >= 0, but was " + w);
        }
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, w, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /** Half-width of the uniform initialisation of the LSTM, in (0, 1]. Default 0.08 (Zoph and Le). */
    public Reinforce initRange(double r) {
        if (!(r > 0 && r <= 1)) {
            throw new IllegalArgumentException("initRange must be in (0, 1], but was " + r);
        }
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, r,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /**
     * True: the reward of a trial is its rank among all rewards so far, scaled to [0, 1] (fitness shaping as in
     * natural evolution strategies, Wierstra et al. 2014), which makes the update invariant to monotone transforms
     * of the objective and insensitive to outliers; false: the raw score (the papers). Default, unless set here:
     * true, or false with {@link #paperSettings()}.
     */
    public Reinforce rankRewards(boolean ranks) {
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                Optional.of(ranks), avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /**
     * True: like random search, never spend a trial on an architecture whose canonical key was already evaluated
     * or is in flight: a repeat the controller samples is dropped and it samples again; after 20 repeats in one ask
     * (a policy that has concentrated on known cells) the ask proposes an unseen mutation of the last sample, so
     * the search keeps exploring around what the controller prefers. The controller learns once per evaluated trial: a
     * step on a remembered reward would reinforce known cells over and over and make the policy collapse early.
     * False: every sample is evaluated, repeats included, as in the original papers. Default true.
     */
    public Reinforce avoidDuplicates(boolean avoid) {
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoid, paperDefaults, aggregate, micro, macro, enasUpdate, rewardScale);
    }

    /**
     * Averages the policy gradients of {@code n} told trials into one optimizer step (the baseline still moves
     * with every reward), as ENAS' controller does over 10 samples ({@code controller_num_aggregate}); default 1,
     * a step per trial.
     */
    public Reinforce aggregate(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("aggregate must be >= 1, but was " + n);
        }
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, n, micro, macro, enasUpdate, rewardScale);
    }

    /**
     * The settings of {@link Controller#ENAS_MICRO} beyond {@link #hiddenUnits} and {@link #initRange}, and that
     * controller. Default {@link MicroControllerSettings#reference()}.
     */
    public Reinforce microController(MicroControllerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("microController settings must not be null");
        }
        return new Reinforce(Controller.ENAS_MICRO, hiddenUnits, learningRate, baselineDecay, entropyWeight,
                initRange, rankRewards, avoidDuplicates, paperDefaults, aggregate, settings, macro, enasUpdate,
                rewardScale);
    }

    /**
     * The settings of {@link Controller#ENAS_MACRO} beyond {@link #hiddenUnits} and {@link #initRange}, and that
     * controller. Default {@link MacroControllerSettings#reference()}.
     */
    public Reinforce macroController(MacroControllerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("macroController settings must not be null");
        }
        return new Reinforce(Controller.ENAS_MACRO, hiddenUnits, learningRate, baselineDecay, entropyWeight,
                initRange, rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, settings, enasUpdate,
                rewardScale);
    }

    /**
     * True: ENAS' update ({@code src/cifar10/micro_controller.py}, {@code build_trainer}, melodyguan/enas at
     * {@code 00787a5f}): the entropy bonus {@code entropyWeight * H} of the sample is added to its reward without a
     * gradient (the reference's {@code stop_gradient}), the baseline starts at 0 and moves toward that reward
     * ({@code bl -= (1 - baselineDecay) * (bl - R)}) before the advantage {@code R - bl} is taken, and the loss is
     * {@code -log p * (R - bl)}; Adam as {@code src/utils.py}'s {@code get_train_ops} builds it ({@code beta1=0.0},
     * {@code epsilon=1e-3}, commit {@code 014bae18}). False (default): the entropy is a term of the objective with
     * its gradient, the baseline starts at the first reward and moves after the advantage, Adam with betas (0.9,
     * 0.999) and epsilon 1e-8.
     */
    public Reinforce enasUpdate(boolean yes) {
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, yes, rewardScale);
    }

    /**
     * Scores are multiplied by {@code scale} before they become rewards, finite and > 0: e.g. 0.01 to learn from
     * accuracies in [0, 1] when the objective reports percent, as ENAS' reference does. Default 1. It matters
     * where the reward's scale does: the entropy bonus of {@link #enasUpdate} and Adam's epsilon.
     */
    public Reinforce rewardScale(double scale) {
        if (!(scale > 0 && scale < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("rewardScale must be a finite number > 0, but was " + scale);
        }
        return new Reinforce(controller, hiddenUnits, learningRate, baselineDecay, entropyWeight, initRange,
                rankRewards, avoidDuplicates, paperDefaults, aggregate, micro, macro, enasUpdate, scale);
    }

    /** The learning rate in use: the one set, else the default of the controller (the papers' with paper settings). */
    public double learningRate() {
        if (learningRate.isPresent()) {
            return learningRate.getAsDouble();
        }
        if (paperDefaults) {
            return controller == Controller.INDEPENDENT ? 0.01 : 0.0006;
        }
        return controller == Controller.INDEPENDENT ? 0.1 : 0.002;
    }

    /** Whether rewards are ranks: the choice set, else true (false with paper settings). */
    public boolean rankRewards() {
        return rankRewards.orElse(!paperDefaults);
    }

    /**
     * {@code reinforce}, with {@code -nb201} for the independent controller and {@code -paper} for
     * {@link #paperSettings()}: the names {@code Strategies.byName} knows.
     */
    @Override
    public String name() {
        return "reinforce" + (controller == Controller.INDEPENDENT ? "-nb201" : "")
                + (controller == Controller.ENAS_MICRO ? "-enas-micro" : "")
                + (controller == Controller.ENAS_MACRO ? "-enas-macro" : "") + (paperDefaults ? "-paper" : "");
    }

    @Override
    public String configuration() {
        Configuration c = Configuration.of("reinforce").with("controller", controller).with("hiddenUnits", hiddenUnits)
                .with("learningRate", learningRate()).with("baselineDecay", baselineDecay)
                .with("entropyWeight", entropyWeight).with("initRange", initRange).with("rankRewards", rankRewards())
                .with("avoidDuplicates", avoidDuplicates);
        // named only when set, so that the configuration (and journals) of a step per trial stay as they were
        c = aggregate == 1 ? c : c.with("aggregate", aggregate);
        if (controller == Controller.ENAS_MICRO) {
            c = c.with("lstmLayers", micro.layers()).with("tanhConstant", micro.tanhConstant())
                    .with("opTanhReduce", micro.opTanhReduce()).with("temperature", micro.temperature());
        }
        if (controller == Controller.ENAS_MACRO) {
            c = c.with("lstmLayers", macro.layers()).with("tanhConstant", macro.tanhConstant())
                    .with("temperature", macro.temperature()).with("skipTarget", macro.skipTarget())
                    .with("skipWeight", macro.skipWeight());
        }
        c = rewardScale == 1 ? c : c.with("rewardScale", rewardScale);
        return (enasUpdate ? c.with("enasUpdate", true) : c).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        return new Search(context);
    }

    /**
     * The policy this configuration creates for {@code space}, initialised from {@code seed}. On a
     * {@link RestrictedSpace} the options it removes are masked (their logits at minus infinity): the controller
     * never draws them and its gradient is that of the distribution over the allowed options.
     */
    public Policy policy(SearchSpace space, long seed) {
        List<Choice> choices = space.choices();
        int[] sizes = new int[choices.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = choices.get(i).size();
        }
        boolean[][] allowed = null;
        if (space instanceof RestrictedSpace restricted) {
            allowed = new boolean[sizes.length][];
            for (int i = 0; i < sizes.length; i++) {
                allowed[i] = new boolean[sizes[i]];
                for (int o = 0; o < sizes[i]; o++) {
                    allowed[i][o] = restricted.allowsOption(i, o);
                }
            }
        }
        return switch (controller) {
            case LSTM -> new LstmController(sizes, hiddenUnits, initRange, Seeds.derive(seed, "init"), allowed);
            case INDEPENDENT -> new IndependentLogits(sizes, allowed);
            case ENAS_MICRO -> new EnasMicroController(sizes, hiddenUnits, initRange, micro, Seeds.derive(seed, "init"),
                    allowed);
            case ENAS_MACRO -> new EnasMacroController(choices, hiddenUnits, initRange, macro,
                    Seeds.derive(seed, "init"), allowed);
        };
    }

    /** The weight of the policy's own penalty in the loss: the macro controller's skip weight, else 0. */
    private double penaltyWeight() {
        return controller == Controller.ENAS_MACRO ? macro.skipWeight() : 0;
    }

    /** Repeats the controller may sample in one ask before the ask explores an unseen neighbour instead. */
    private static final int MAX_REPEATS_PER_ASK = 20;


    private final class Search implements CheckpointableStrategy {
        private final SearchSpace space;
        private final Objective objective;
        private final Policy policy;
        private final Adam adam;
        private SplitMix64 rng;
        private double baseline = Double.NaN;
        private double worstReward = Double.NaN;
        private final List<Double> history = new ArrayList<>();
        /** Canonical keys of the evaluated architectures, in the order they were told. */
        private final Set<String> evaluated = new LinkedHashSet<>();
        /** Canonical keys proposed and not yet told. */
        private final Set<String> pending = new LinkedHashSet<>();
        /** The sum of the policy gradients of the trials told since the last step ({@link #aggregate} > 1). */
        private final double[] gradientSum;
        /** Which parameters got a gradient since the last step. */
        private final boolean[] touched;
        /** Trials summed into {@link #gradientSum}. */
        private int aggregated;

        Search(SearchContext context) {
            this.space = context.space();
            this.objective = context.objective();
            this.policy = policy(space, context.seed());
            Adam.Builder optimizer = Adam.builder(policy.parameters(), LearningRateSchedule.constant(learningRate()));
            this.adam = (enasUpdate ? optimizer.beta1(0).epsilon(1e-3) : optimizer).build();
            this.rng = new SplitMix64(Seeds.derive(context.seed(), "sample"));
            this.gradientSum = new double[aggregate > 1 ? (int) policy.parameters().size() : 0];
            this.touched = new boolean[policy.parameters().parameters().size()];
            if (enasUpdate) {
                baseline = 0;   // tf.Variable(0.0) in build_trainer
            }
        }

        @Override
        public Ask ask() {
            int repeats = 0;
            int attempts = 0;
            while (attempts < SearchSpace.MAX_ATTEMPTS) {
                // a batched draw (the LSTM's): the first usable vector is taken, the rest discarded
                for (int[] vector : policy.sample(rng, policy.samplesPerPass())) {
                    attempts++;
                    Architecture a = Architecture.of(space, vector);
                    if (!space.isValid(a)) {
                        continue;
                    }
                    if (avoidDuplicates && isKnown(a)) {
                        if (++repeats < MAX_REPEATS_PER_ASK) {
                            continue;
                        }
                        a = unseenNear(a);
                    }
                    pending.add(a.key());
                    return Ask.propose(a);
                }
            }
            throw new IllegalStateException("the controller found no valid architecture of space '" + space.name()
                    + "' in " + attempts + " samples");
        }

        private boolean isKnown(Architecture a) {
            return evaluated.contains(a.key()) || pending.contains(a.key());
        }

        /**
         * For a policy that has concentrated on known cells: an unseen mutation of {@code a} (or of a mutation of
         * it), else an unseen uniform sample, else {@code a} itself (the space is exhausted).
         */
        private Architecture unseenNear(Architecture a) {
            long known = evaluated.size() + pending.stream().filter(k -> !evaluated.contains(k)).count();
            if (known >= space.vectorCount()) {
                return a; // every architecture is known: no need to search for an unseen one
            }
            Architecture walk = a;
            for (int attempt = 0; attempt < SearchSpace.MAX_ATTEMPTS; attempt++) {
                walk = space.mutate(walk, rng);
                if (!isKnown(walk)) {
                    return walk;
                }
            }
            for (int attempt = 0; attempt < SearchSpace.MAX_ATTEMPTS; attempt++) {
                Architecture b = space.sample(rng);
                if (!isKnown(b)) {
                    return b;
                }
            }
            return a;
        }

        @Override
        public void tell(Trial trial) {
            double score = objective.score(trial);
            pending.remove(trial.architecture().key());
            evaluated.add(trial.architecture().key());
            learn(trial.architecture().vector(), score);
        }

        /** One policy-gradient step for the trajectory {@code vector} whose objective score was {@code score}. */
        private void learn(int[] vector, double score) {
            double reward = score * rewardScale;
            if (Double.isFinite(reward)) {
                worstReward = Double.isNaN(worstReward) ? reward : Math.min(worstReward, reward);
            } else if (Double.isNaN(worstReward)) {
                return; // nothing to compare a failure with yet
            } else {
                reward = worstReward;
            }
            if (rankRewards()) {
                reward = rank(reward);
            }
            if (enasUpdate) {
                // the entropy joins the reward as a constant; the baseline moves first, then the advantage
                reward += entropyWeight * policy.objective(vector, 0, 1, false);
                baseline -= (1 - baselineDecay) * (baseline - reward);
                policy.objective(vector, -(reward - baseline), 0, penaltyWeight(), true);
            } else {
                if (Double.isNaN(baseline)) {
                    baseline = reward;
                }
                double advantage = reward - baseline;
                baseline = baselineDecay * baseline + (1 - baselineDecay) * reward;
                // the gradient of -J: Adam minimises
                policy.objective(vector, -advantage, -entropyWeight, penaltyWeight(), true);
            }
            if (aggregate == 1) {
                adam.step();
                return;
            }
            accumulate();
            if (++aggregated == aggregate) {
                stepOnMeanGradient();
            }
        }

        /** Adds the gradients just written to {@link #gradientSum} and clears their marks. */
        private void accumulate() {
            List<Parameter> parameters = policy.parameters().parameters();
            for (int i = 0; i < parameters.size(); i++) {
                Parameter p = parameters.get(i);
                if (p.hasGradient()) {
                    double[] g = ParameterSet.range(policy.parameters().gradients(), p.offset(), p.length())
                            .toDoubleVector();
                    for (int j = 0; j < g.length; j++) {
                        gradientSum[(int) p.offset() + j] += g[j];
                    }
                    touched[i] = true;
                    p.clearGradient();
                }
            }
        }

        /** One optimizer step on the mean of the summed gradients; starts the next sum. */
        private void stepOnMeanGradient() {
            INDArray flat = policy.parameters().gradients();
            for (int j = 0; j < gradientSum.length; j++) {
                flat.putScalar(j, gradientSum[j] / aggregate);
            }
            List<Parameter> parameters = policy.parameters().parameters();
            for (int i = 0; i < parameters.size(); i++) {
                if (touched[i]) {
                    parameters.get(i).markGradient();
                }
            }
            adam.step();
            java.util.Arrays.fill(gradientSum, 0);
            java.util.Arrays.fill(touched, false);
            aggregated = 0;
        }

        /** The share of earlier rewards below {@code r} (ties count half), then {@code r} joins them. */
        private double rank(double r) {
            int pos = Collections.binarySearch(history, r);
            int below = pos >= 0 ? lowerBound(r) : -pos - 1;
            int equal = pos >= 0 ? upperBound(r) - below : 0;
            double rank = history.isEmpty() ? 0.5 : (below + 0.5 * equal) / history.size();
            history.add(below, r);
            return rank;
        }

        private int lowerBound(double r) {
            int lo = 0;
            int hi = history.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (history.get(mid) < r) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private int upperBound(double r) {
            int lo = 0;
            int hi = history.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (history.get(mid) <= r) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        @Override
        public ObjectNode saveState() {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("rng", rng.state());
            s.put("baseline", StateCodec.encode(new double[] {baseline, worstReward}));
            s.put("parameters", ModelState.saveValues(policy.parameters()));
            s.set("adam", ModelState.saveAdam(adam));
            s.put("history", StateCodec.encode(history.stream().mapToDouble(Double::doubleValue).toArray()));
            evaluated.forEach(k -> s.withArray("evaluatedKeys").add(k));
            pending.forEach(k -> s.withArray("pending").add(k));
            if (aggregate > 1) {
                double[] marks = new double[touched.length];
                for (int i = 0; i < marks.length; i++) {
                    marks[i] = touched[i] ? 1 : 0;
                }
                s.put("aggregated", aggregated);
                s.put("gradientSum", StateCodec.encode(gradientSum));
                s.put("touched", StateCodec.encode(marks));
            }
            return s;
        }

        @Override
        public void restoreState(ObjectNode state) {
            rng = SplitMix64.fromState(state.get("rng").asLong());
            double[] b = StateCodec.decode(state.get("baseline").asText());
            baseline = b[0];
            worstReward = b[1];
            ModelState.restoreValues(state.get("parameters"), policy.parameters(), "controller parameters");
            ModelState.restoreAdam(state.get("adam"), adam);
            history.clear();
            for (double r : StateCodec.decode(state.get("history").asText())) {
                history.add(r);
            }
            evaluated.clear();
            state.withArray("evaluatedKeys").forEach(k -> evaluated.add(k.asText()));
            pending.clear();
            state.withArray("pending").forEach(k -> pending.add(k.asText()));
            if (aggregate > 1) {
                aggregated = state.get("aggregated").asInt();
                double[] sum = StateCodec.decode(state.get("gradientSum").asText());
                System.arraycopy(sum, 0, gradientSum, 0, gradientSum.length);
                double[] marks = StateCodec.decode(state.get("touched").asText());
                for (int i = 0; i < touched.length; i++) {
                    touched[i] = marks[i] != 0;
                }
            }
        }
    }
}
