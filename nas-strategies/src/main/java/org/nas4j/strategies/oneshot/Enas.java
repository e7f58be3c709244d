package org.nas4j.strategies.oneshot;

import static org.nas4j.core.config.Require.positive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.RestrictedSpace;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.Supernet;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.EnasChannelSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.network.WeightSharing;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nas4j.estimators.training.Batches;
import org.nas4j.strategies.rl.MacroControllerSettings;
import org.nas4j.strategies.rl.MicroControllerSettings;
import org.nas4j.strategies.rl.Reinforce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ENAS (Pham et al., ICML 2018): a REINFORCE controller and the shared weights of a supernet, trained in
 * alternation. Each epoch first trains the shared weights for one pass over the weight part, every step on the
 * path of an architecture the controller samples; then the controller proposes {@link #controllerSteps} architectures,
 * each rewarded with the accuracy of the shared weights on the next batch of the held-out part (measured by this
 * strategy, {@link Proposal#measured()}: {@link Metric#VALIDATION_ACCURACY}), and learns from each reward when the
 * search tells it the trial. {@code result.best()} is the best rewarded architecture, as ENAS derives its final
 * cell from the controller's samples ranked on validation data.
 *
 * <p>Defaults from the reference's micro search on CIFAR-10 ({@code scripts/cifar10_micro_search.sh}): the shared
 * weights by SGD with Nesterov momentum 0.9 ({@code utils.get_train_ops}), learning rate 0.05 cosine to 0.0005,
 * weight decay 1e-4, clip 5, 10% of the data held out; an LSTM controller of 64 units, learning rate 0.0035,
 * baseline decay 0.99, entropy weight 1e-4, raw-accuracy rewards; 300 controller samples per epoch, the policy
 * gradients of every 10 averaged into one step (30 steps of 10, {@code controller_num_aggregate}; {@link Reinforce#aggregate}). Runs on the supernet of any
 * builder space. On the micro space's search child, {@link #microController()} gives the reference's own micro
 * controller in place of the generic LSTM; on ENAS' macro space, {@link #macroController()} its macro controller.
 *
 * <p>A space with channel-range choices (ENAS' macro space with {@code whole_channels=False},
 * {@code EnasMacroSpace.builder().wholeChannels(false)}) trains an {@link EnasChannelSupernet} in place of a
 * {@link ComposedSupernet}: each step and each reward runs the sampled architecture's ranges and skips. It has
 * plain weights only ({@link #weightSharing} {@link WeightSharing#PLAIN}) and no {@link #whenTrained} hook (which
 * takes a {@link ComposedSupernet}); both are refused when the search starts.
 *
 * <p>{@link #weightSharing} {@link WeightSharing#CONDITIONAL} gives the shared weights conditional weights (Laube &amp;
 * Zell, arXiv:2104.11522): every op with weights holds one copy per candidate of the op choice before it, and a step
 * or a reward runs the copies its path selects. ENAS runs one path per step and per reward, the single-path case
 * conditional weights take. With {@link #conditionalSplitEpoch} the copies train shared until that epoch and split
 * at its start (UniNAS' schedule, as the {@code -cw} methods of {@code OneShotBenchmark} use it).
 *
 * <p>With a journal, the trainer's and the controller's states are saved in the journal's directory at every epoch
 * boundary once all the epoch's trials are told; a killed search resumes from there.
 *
 * <p>On a {@link RestrictedSpace} of a builder space (a steered round), the supernet is that of the wrapped space and
 * the controller masks the removed options' logits ({@link Reinforce#policy}): it never samples them, so neither
 * the shared weights' paths nor the proposals hold them, and a pinned choice always takes its pinned option.
 * Masking rather than resampling keeps every sample usable (a resampling controller would be rejected ever more
 * often as pins multiply) and keeps the policy gradient that of the distribution the samples come from.
 */
public final class Enas implements StrategyFactory {

    /** The file of the checkpoint in the journal's directory. */
    public static final String CHECKPOINT = "enas-checkpoint.bin";

    private static final Consumer<ComposedSupernet> NO_HOOK = supernet -> { };

    private final ImageDataset train;
    private final Reinforce controller;
    private final int epochs;
    private final int batchSize;
    private final int stepsPerEpoch;
    private final int controllerSteps;
    private final WeightSharing sharing;
    private final int splitEpoch;
    private final boolean trainingModeRewards;
    private final Consumer<ComposedSupernet> trained;

    private Enas(ImageDataset train, Reinforce controller, int epochs, int batchSize, int stepsPerEpoch,
            int controllerSteps, WeightSharing sharing, int splitEpoch, boolean trainingModeRewards,
            Consumer<ComposedSupernet> trained) {
        this.trainingModeRewards = trainingModeRewards;
        this.trained = trained;
        this.train = train;
        this.controller = controller;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.stepsPerEpoch = stepsPerEpoch;
        this.controllerSteps = controllerSteps;
        this.sharing = sharing;
        this.splitEpoch = splitEpoch;
    }

    /** ENAS with the reference's settings on {@code train} (10% held out for the rewards). */
    public static Enas of(ImageDataset train) {
        Objects.requireNonNull(train, "train");
        Reinforce controller = Reinforce.create().hiddenUnits(64).learningRate(0.0035).baselineDecay(0.99)
                .entropyWeight(1e-4).rankRewards(false).avoidDuplicates(false).aggregate(10);
        return new Enas(train, controller, 150, 64, 0, 300, WeightSharing.PLAIN, 0, false, NO_HOOK);
    }

    /**
     * The reference's own micro controller ({@link Reinforce.Controller#ENAS_MICRO}, {@code micro_controller.py})
     * with the micro search's settings, for {@link #controller}: one LSTM layer of 64 units ({@code main.py}),
     * uniform initialisation in [-0.1, 0.1], tanh constant 1.10, op tanh reduce 2.5, no temperature, Adam
     * learning rate 0.0035, baseline decay 0.99, 10 samples per step ({@code cifar10_micro_search.sh},
     * {@code main.py}'s default {@code controller_bl_dec}), entropy weight 1e-4, raw rewards scaled from this
     * strategy's percent to the reference's accuracy in [0, 1] ({@link Reinforce#rewardScale} 0.01) and ENAS' update
     * ({@link Reinforce#enasUpdate}: the entropy in the reward, the baseline from 0, Adam with beta1 0 and epsilon
     * 1e-3). Only for a micro space's search child ({@code EnasMicroSpace}).
     *
     * <pre>{@code
     * Strategies.enas(train).controller(Enas.microController());
     * }</pre>
     */
    public static Reinforce microController() {
        return Reinforce.create().microController(MicroControllerSettings.reference()).hiddenUnits(64).initRange(0.1)
                .learningRate(0.0035).baselineDecay(0.99).entropyWeight(1e-4).rankRewards(false).enasUpdate(true)
                .rewardScale(0.01)
                .avoidDuplicates(false).aggregate(10);
    }

    /**
     * The reference's own macro controller ({@link Reinforce.Controller#ENAS_MACRO}, {@code general_controller.py})
     * with the macro search's settings, for {@link #controller}: one LSTM layer of 64 units ({@code main.py}),
     * uniform initialisation in [-0.1, 0.1], tanh constant 1.5, no temperature, skip target 0.4 and skip weight 0.8,
     * Adam learning rate 0.001, entropy weight 1e-4, 20 samples per step ({@code cifar10_macro_search.sh}), baseline
     * decay 0.99 ({@code main.py}'s default {@code controller_bl_dec}), raw rewards scaled from this strategy's
     * percent to the reference's accuracy in [0, 1] ({@link Reinforce#rewardScale} 0.01) and ENAS' update
     * ({@link Reinforce#enasUpdate}). For an ENAS macro space in either mode ({@code EnasMacroSpace}); the
     * reference's 50 steps of 20 samples per epoch are {@link #controllerSteps}{@code (1000)}.
     *
     * <pre>{@code
     * Strategies.enas(train).controller(Enas.macroController());
     * }</pre>
     */
    public static Reinforce macroController() {
        return Reinforce.create().macroController(MacroControllerSettings.reference()).hiddenUnits(64).initRange(0.1)
                .learningRate(0.001).baselineDecay(0.99).entropyWeight(1e-4).rankRewards(false).enasUpdate(true)
                .rewardScale(0.01).avoidDuplicates(false).aggregate(20);
    }

    /** Epochs (shared-weight pass plus controller samples); default 150. */
    public Enas epochs(int n) {
        return new Enas(train, controller, positive("epochs", n), batchSize, stepsPerEpoch, controllerSteps,
                sharing, splitEpoch, trainingModeRewards, trained);
    }

    /** Batch size of the shared weights' steps and of each reward; default 64. */
    public Enas batchSize(int n) {
        return new Enas(train, controller, epochs, positive("batchSize", n), stepsPerEpoch, controllerSteps,
                sharing, splitEpoch, trainingModeRewards, trained);
    }

    /** Shared-weight steps per epoch; default 0: one pass over the weight part. */
    public Enas stepsPerEpoch(int n) {
        return new Enas(train, controller, epochs, batchSize, positive("stepsPerEpoch", n), controllerSteps,
                sharing, splitEpoch, trainingModeRewards, trained);
    }

    /** Architectures the controller proposes (and learns from) per epoch; default 300. */
    public Enas controllerSteps(int n) {
        return new Enas(train, controller, epochs, batchSize, stepsPerEpoch, positive("controllerSteps", n),
                sharing, splitEpoch, trainingModeRewards, trained);
    }

    /** The controller's configuration (duplicates must be allowed: ENAS samples freely). */
    public Enas controller(Reinforce r) {
        return new Enas(train, Objects.requireNonNull(r, "controller").avoidDuplicates(false), epochs, batchSize,
                stepsPerEpoch, controllerSteps, sharing, splitEpoch, trainingModeRewards, trained);
    }

    /**
     * How the supernet's candidate ops share their weights: {@link WeightSharing#PLAIN} (default, ENAS' own) or
     * {@link WeightSharing#CONDITIONAL} (a copy of each op's weights per op chosen before it; see
     * {@code docs/supernet.md}, conditional weights).
     */
    public Enas weightSharing(WeightSharing s) {
        return new Enas(train, controller, epochs, batchSize, stepsPerEpoch, controllerSteps,
                Objects.requireNonNull(s, "weightSharing"), splitEpoch, trainingModeRewards, trained);
    }

    /**
     * With {@link WeightSharing#CONDITIONAL}: the epoch (counted from 0) at whose start the copies split; before
     * it they train shared, as one op each (UniNAS' schedule). Default 0: split from the first step. Must be below
     * the number of {@link #epochs}, and 0 for plain weights (both checked when the search starts).
     */
    public Enas conditionalSplitEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("conditionalSplitEpoch must be >= 0, but was " + epoch);
        }
        return new Enas(train, controller, epochs, batchSize, stepsPerEpoch, controllerSteps, sharing, epoch,
                trainingModeRewards, trained);
    }

    /**
     * Whether a reward's forward pass runs in training mode: every batch norm normalises with the reward batch's
     * statistics (and updates its running ones) and the head's dropout is on, as the reference computes the rewards
     * of its micro search (melodyguan/enas {@code src/cifar10/micro_child.py}: {@code _model} sets
     * {@code is_training = True} for the search child, and {@code build_valid_rl} passes {@code is_training=True}).
     * Default false: rewards in inference mode (running statistics, no dropout). On a space whose batch norms
     * normalise with the batch and whose dropout drops in inference too ({@code ComposedSpace
     * .batchStatisticsInInference()}, {@code dropoutInInference()}: ENAS' micro search child) both modes compute the
     * reference's rewards, and this only updates the running statistics (unread there) and draws the dropout masks
     * from the layers' training generators instead of their inference ones.
     */
    public Enas rewardsInTrainingMode(boolean yes) {
        return new Enas(train, controller, epochs, batchSize, stepsPerEpoch, controllerSteps, sharing, splitEpoch,
                yes, trained);
    }

    /**
     * Called once per search with the supernet whose shared weights it trained, when the search ends after its
     * last epoch and every proposal of that epoch has been told (not for a search stopped or cut by its budget
     * before): e.g. to score other architectures on the trained shared weights with {@code Estimators.supernet},
     * as {@code OneShotBenchmark} ranks cells on every method's supernet. The strategy no longer uses the supernet
     * then; the hook may change its path and running statistics. Default: nothing. Not part of the
     * {@link #configuration()}: it changes nothing in the search.
     */
    public Enas whenTrained(Consumer<ComposedSupernet> hook) {
        return new Enas(train, controller, epochs, batchSize, stepsPerEpoch, controllerSteps, sharing, splitEpoch,
                trainingModeRewards, Objects.requireNonNull(hook, "whenTrained"));
    }

    @Override
    public String name() {
        return "enas";
    }

    @Override
    public String configuration() {
        return Configuration.of("enas").with("epochs", epochs).with("batchSize", batchSize)
                .with("stepsPerEpoch", stepsPerEpoch).with("controllerSteps", controllerSteps)
                .with("weightSharing", sharing).with("conditionalSplitEpoch", splitEpoch)
                .with("rewardsInTrainingMode", trainingModeRewards)
                .with("data", train.size()).with("controller", controller.configuration()).toString();
    }

    @Override
    public Optional<Estimator> defaultEstimator() {
        return Optional.of(MeasuredByStrategy.INSTANCE);
    }

    @Override
    public Strategy create(SearchContext context) {
        SearchSpace space = context.space();
        SearchSpace own = space instanceof RestrictedSpace r ? r.unrestricted() : space;
        if (!(own instanceof ComposedSpace composed)) {
            throw new IllegalArgumentException("space of an ENAS search must be a builder space (ComposedSpace) or"
                    + " a restriction of one, but was " + space.identity());
        }
        if (splitEpoch > 0 && sharing != WeightSharing.CONDITIONAL) {
            throw new IllegalArgumentException("conditionalSplitEpoch needs weightSharing CONDITIONAL, but it was "
                    + splitEpoch + " with weightSharing " + sharing);
        }
        if (EnasChannelSupernet.holdsChannelRanges(composed) && sharing != WeightSharing.PLAIN) {
            throw new IllegalArgumentException("weightSharing must be PLAIN for space '" + composed.name() + "',"
                    + " whose channel ranges train an EnasChannelSupernet, but was " + sharing);
        }
        if (EnasChannelSupernet.holdsChannelRanges(composed) && trained != NO_HOOK) {
            throw new IllegalArgumentException("whenTrained takes a ComposedSupernet, but space '" + composed.name()
                    + "' has channel ranges and trains an EnasChannelSupernet: leave whenTrained unset");
        }
        if (splitEpoch >= epochs) {
            throw new IllegalArgumentException("conditionalSplitEpoch must be below epochs=" + epochs + ", but was "
                    + splitEpoch);
        }
        return new Search(space, composed, context);
    }

    /** One search: the supernet, its trainer, the controller, and the proposals so far. */
    final class Search implements Strategy {
        /** The search's space: the builder space, or a restriction of it that the controller honours. */
        private final SearchSpace space;
        private final ComposedSpace composed;
        /** The supernet of a space without channel ranges; null with them. */
        private final ComposedSupernet supernet;
        /** The supernet of a space with channel ranges; null without them. */
        private final EnasChannelSupernet channels;
        private final SupernetTrainer trainer;
        private final CheckpointableStrategy agent;
        private final ImageDataset rewardPart;
        private final Batches rewardBatches;
        private final int[] rewardOrder;
        private final Optional<Path> checkpoint;
        private final BooleanSupplier stop;
        private final List<Proposal> history = new ArrayList<>();
        /** Proposals of the checkpoint's history: their tells are already in the restored controller. */
        private int restoredTells;
        private int proposed;
        private int told;
        private int sampledThisEpoch;
        private boolean stopped;
        private boolean handedOver;

        Search(SearchSpace space, ComposedSpace composed, SearchContext context) {
            this.space = space;
            this.composed = composed;
            long policySeed = Seeds.derive(context.seed(), "policy");
            long weightSeed = Seeds.derive(context.seed(), "weights");
            if (EnasChannelSupernet.holdsChannelRanges(composed)) {
                this.supernet = null;
                this.channels = EnasChannelSupernet.compile(composed, PathPolicies.singlePath(policySeed),
                        ModuleCatalogue.standard(), DataType.FLOAT, weightSeed);
            } else {
                this.supernet = ComposedSupernet.compile(composed, PathPolicies.singlePath(policySeed),
                        ModuleCatalogue.standard(), DataType.FLOAT, weightSeed, sharing);
                this.channels = null;
            }
            Supernet network = supernet != null ? supernet : channels;
            Strategy s = controller.create(new SearchContext(space, context.objective(),
                    Seeds.derive(context.seed(), "controller")));
            this.agent = (CheckpointableStrategy) s;
            SupernetTrainer.Builder b = SupernetTrainer.builder(network, train).epochs(epochs).batchSize(batchSize)
                    .stepsPerEpoch(stepsPerEpoch).architectureFraction(0.1).weightOptimizer(0.05, 0.0005, 0.9, 1e-4)
                    .nesterov(true)
                    .validateEachEpoch(false).seed(Seeds.derive(context.seed(), "trainer"))
                    .beforeWeightStep(this::sampleSharedPath);
            if (splitEpoch > 0) {
                // UniNAS' schedule: the copies train shared until the milestone epoch, then split (a checkpoint
                // holds which, so a resumed search restores it)
                supernet.shareConditionalWeights();
                b.onEpochStart(e -> {
                    if (e >= splitEpoch) {
                        supernet.splitConditionalWeights();
                    }
                });
            }
            this.trainer = b.build();
            this.rewardPart = trainer.architecturePart().orElseThrow();
            if (rewardPart.size() < batchSize) {
                throw new IllegalArgumentException("batchSize must be at most the " + rewardPart.size() + " held-out"
                        + " samples, but was " + batchSize);
            }
            this.rewardBatches = new Batches(rewardPart, batchSize);
            this.rewardOrder = new int[rewardPart.size()];
            for (int i = 0; i < rewardOrder.length; i++) {
                rewardOrder[i] = i;
            }
            this.checkpoint = context.directory().map(d -> d.resolve(CHECKPOINT));
            this.stop = context.stop();
            this.sampledThisEpoch = controllerSteps;    // the first ask starts an epoch
            if (checkpoint.isPresent() && Files.exists(checkpoint.get())) {
                try {
                    restore(trainer.restore(checkpoint.get()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read checkpoint " + checkpoint.get(), e);
                }
            }
        }

        /** The settings of the trainer of the shared weights (read by the package's tests). */
        SupernetTrainer.Settings trainerSettings() {
            return trainer.settings();
        }

        /** The supernet whose shared weights this search trains (read by the package's tests); null with ranges. */
        ComposedSupernet supernet() {
            return supernet;
        }

        /** ENAS' shared-weight step trains the path of an architecture the controller samples. */
        private void sampleSharedPath() {
            usePath(agent.ask().proposal().architecture());
        }

        /** Runs the path of {@code a}, a sample of the controller on the search's (maybe restricted) space. */
        private void usePath(Architecture a) {
            Architecture own = a.space() == composed ? a : Architecture.of(composed, a.vector());
            if (channels != null) {
                channels.usePath(own);
            } else {
                supernet.usePath(supernet.path(own));
            }
        }

        @Override
        public Ask ask() {
            if (proposed < history.size()) {
                return Ask.propose(history.get(proposed++));
            }
            if (stopped) {
                return Ask.done();
            }
            if (sampledThisEpoch >= controllerSteps) {
                if (told < proposed) {
                    return Ask.waitForTrials();     // the controller must hear every reward before the next epoch
                }
                if (trainer.epochsDone() > 0) {
                    save();
                }
                if (trainer.epochsDone() >= trainer.epochs()) {
                    if (!handedOver && supernet != null) {
                        handedOver = true;
                        trained.accept(supernet);
                    }
                    return Ask.done();
                }
                if (trainer.trainEpoch(stop).isEmpty()) {
                    stopped = true;
                    return Ask.done();
                }
                sampledThisEpoch = 0;
            }
            Architecture a = agent.ask().proposal().architecture();
            Map<Metric, Double> measured = new LinkedHashMap<>();
            measured.put(Metric.VALIDATION_ACCURACY, reward(a, history.size()));
            measured.put(Metric.EPOCHS, (double) trainer.epochsDone());
            Proposal p = Proposal.of(a).withMeasured(measured);
            history.add(p);
            proposed++;
            sampledThisEpoch++;
            return Ask.propose(p);
        }

        /** Accuracy (percent) of the shared weights on {@code a}'s path, on the {@code index}-th held-out batch. */
        private double reward(Architecture a, int index) {
            usePath(a);
            int usable = rewardOrder.length - rewardOrder.length % batchSize;
            int from = (int) ((long) index * batchSize % usable);
            INDArray logits = trainer.supernet().forward(rewardBatches.load(rewardOrder, from, batchSize, null, null),
                    trainingModeRewards ? Mode.TRAINING : Mode.INFERENCE);
            return 100.0 * rewardBatches.correct(logits, batchSize) / batchSize;
        }

        @Override
        public void tell(Trial trial) {
            told++;
            if (told > restoredTells) {
                agent.tell(trial);
            }
        }

        private void save() {
            if (checkpoint.isEmpty()) {
                return;
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode state = json.createObjectNode();
            state.set("controller", agent.saveState());
            state.set("history", ProposalHistory.write(space, history));
            try {
                trainer.save(checkpoint.get(), state.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + checkpoint.get(), e);
            }
        }

        private void restore(String text) throws IOException {
            JsonNode state = new ObjectMapper().readTree(text);
            agent.restoreState((ObjectNode) state.get("controller"));
            ProposalHistory.read(space, state.get("history"), history);
            restoredTells = history.size();
        }
    }
}
