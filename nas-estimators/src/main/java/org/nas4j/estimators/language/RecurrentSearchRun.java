package org.nas4j.estimators.language;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.estimators.engine.Initializer;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.ParameterSet;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.GradientClipping;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.estimators.engine.optim.Sgd;
import org.nas4j.estimators.engine.recurrent.DartsSearchCell;
import org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel;
import org.nas4j.estimators.oneshot.TrainerCheckpoint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One search of a {@link RecurrentSupernetTrainer}: the model, both optimizers and where the two splits are read,
 * segment by segment, and its checkpoint. Every random draw of a segment (the dropout masks, the segment's length)
 * comes from the seed and the segment's index, so a segment depends only on the state at its start, and a search
 * restored from a checkpoint goes on exactly as the saved one would have. Not thread-safe.
 */
final class RecurrentSearchRun {
    private final RecurrentSupernetTrainer.Settings s;
    private final long seed;
    private final TokenBatches train;
    private final TokenBatches validation;
    private final ParameterSet architecture;
    private final Parameter alpha;
    private final ParameterSet params;
    private final RecurrentLanguageModel lm;
    private final DartsSearchCell cell;
    private final Sgd weights;
    /** The learning rate of the next weight step (the reference scales it by the segment's length). */
    private final double[] rate = new double[1];
    private final Adam architect;
    /** The second-order architecture gradient, or null in a first-order search. */
    private final UnrolledRecurrentStep unrolled;
    private final double[] trainingLosses;
    private final double[] validationLosses;
    private final double[] gradientNorms;
    private INDArray trainState;
    private INDArray validState;
    private int row;
    private int validRow;
    private int done;

    RecurrentSearchRun(RecurrentSupernetTrainer.Settings s, long seed) {
        this.s = s;
        this.seed = seed;
        this.train = new TokenBatches(s.corpus().train(), s.batch());
        this.validation = new TokenBatches(s.corpus().validation(), s.batch());
        this.architecture = new ParameterSet(DataType.FLOAT, seed ^ 0x2545F4914F6CDD1DL);
        this.alpha = architecture.add("weights", DartsSearchCell.weightsShape(s.nodes()), Initializer.normal(1e-3));
        architecture.seal();
        this.params = new ParameterSet(DataType.FLOAT, seed);
        this.lm = new RecurrentLanguageModel(params, DartsSearchCell.factory(alpha, s.nodes(), s.batchNorm()),
                s.corpus().vocabulary(), s.hiddenSize(), s.dropout(), s.slowness(), seed ^ 0x5DEECE66DL);
        params.seal();
        this.cell = (DartsSearchCell) lm.cell();
        this.weights = Sgd.builder(params, step -> rate[0]).weightDecay(s.weightDecay()).build();
        this.architect = Adam.builder(architecture, LearningRateSchedule.constant(s.architectureLearningRate()))
                .weightDecay(s.architectureWeightDecay()).build();
        this.unrolled = s.unrolled() ? new UnrolledRecurrentStep(lm, params, alpha, s.clip(), s.weightDecay(),
                UnrolledRecurrentStep.REFERENCE_RADIUS, UnrolledRecurrentStep.HessianPoint.UNROLLED) : null;
        this.trainingLosses = new double[s.segments()];
        this.validationLosses = new double[s.segments()];
        this.gradientNorms = new double[s.segments()];
    }

    /** Segments done. */
    int done() {
        return done;
    }

    /** Runs the next segment: an architecture step on validation text, then a weight step on training text. */
    void segment() {
        int k = done;
        lm.reseed(Seeds.derive(seed, "segment masks", k));
        int length = s.length().draw(s.bptt(), new SplitMix64(Seeds.derive(seed, "segment length", k)));
        if (validRow >= validation.rows() - 1) {
            validRow = 0;
            validState = null;
        }
        if (row >= train.rows() - 1) {
            row = 0;
            trainState = null;
        }
        int validLength = validation.length(validRow, s.bptt());
        int trainLength = train.length(row, length);
        // the reference scales the learning rate of a segment by its length over bptt (rnn/train_search.py), and
        // its second-order step unrolls with that scaled rate (architect.py reads it from the optimizer)
        rate[0] = s.learningRate() * trainLength / s.bptt();
        if (unrolled == null) {
            restore(validState);
            validationLosses[k] = lm.forward(validation.inputs(validRow, s.bptt()), validation.targets(validRow,
                    s.bptt()), s.batch(), Mode.TRAINING, false);
            requireFinite(validationLosses[k], "validation", k);
            lm.backward();
            validState = lm.state(s.batch());
        } else {
            validationLosses[k] = unrolledGradient(k, length);
        }
        architect.step();
        validRow += validLength;

        if (unrolled != null) {
            lm.reseed(Seeds.derive(seed, "weight step masks", k));
        }
        restore(trainState);
        double loss = lm.forward(train.inputs(row, length), train.targets(row, length), s.batch(), Mode.TRAINING);
        trainingLosses[k] = lm.crossEntropy();
        requireFinite(loss, "training", k);
        lm.backward();
        gradientNorms[k] = s.clip() > 0 ? GradientClipping.clipByGlobalNorm(params, s.clip()) : Double.NaN;
        if (s.clip() > 0 && !Double.isFinite(gradientNorms[k])) {
            // clipping an infinite norm scales by 0, and 0 * inf is NaN: the step would poison the weights
            throw new ArithmeticException("the gradient norm of the weight step of segment " + k + " was "
                    + gradientNorms[k]);
        }
        weights.step();
        trainState = lm.state(s.batch());
        row += trainLength;
        done++;
    }

    /**
     * The second-order architecture gradient of segment {@code k} (the training segment from its carried state,
     * every pass of it with the same masks; the validation segment from its own); carries the validation state the
     * unrolled model ended in, as the reference, and returns the validation loss at the unrolled weights.
     */
    private double unrolledGradient(int k, int length) {
        long trainMasks = Seeds.derive(seed, "unrolled training masks", k);
        long validMasks = Seeds.derive(seed, "segment masks", k);
        INDArray trainStart = trainState;
        INDArray validStart = validState;
        int[] trainInputs = train.inputs(row, length);
        int[] trainTargets = train.targets(row, length);
        int[] validInputs = validation.inputs(validRow, s.bptt());
        int[] validTargets = validation.targets(validRow, s.bptt());
        UnrolledRecurrentStep.Outcome o;
        try {
            o = unrolled.computeGradient(() -> {
                restore(trainStart);
                lm.reseed(trainMasks);
                return lm.forward(trainInputs, trainTargets, s.batch(), Mode.TRAINING, false);
            }, () -> {
                restore(validStart);
                lm.reseed(validMasks);
                return lm.forward(validInputs, validTargets, s.batch(), Mode.TRAINING, false);
            }, s.batch(), rate[0]);
        } catch (ArithmeticException e) {
            throw new ArithmeticException("segment " + k + ": " + e.getMessage());
        }
        validState = o.validationState();
        return o.validationLoss();
    }

    /** The architecture weights now (before the softmax), {@code [edges][5]}. */
    double[][] architectureWeights() {
        return alpha.value().castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    double[] trainingLosses() {
        return trainingLosses.clone();
    }

    double[] validationLosses() {
        return validationLosses.clone();
    }

    /** The weight steps' global gradient norms before clipping (NaN without clipping). */
    double[] gradientNorms() {
        return gradientNorms.clone();
    }

    /** Writes the state after the segments done to {@code file} (atomically). */
    void save(Path file, String description) throws IOException {
        StringBuilder extra = new StringBuilder();
        extra.append(row).append(' ').append(validRow).append(' ').append(trainState != null).append(' ')
                .append(validState != null).append('\n');
        for (int i = 0; i < done; i++) {
            extra.append(Double.toString(trainingLosses[i])).append(' ').append(Double.toString(validationLosses[i]))
                    .append(' ').append(Double.toString(gradientNorms[i])).append('\n');
        }
        TrainerCheckpoint.write(file, description, done, params, statesToSave(), architecture, weights.state(),
                architect.state(), extra.toString());
    }

    /** Restores a state written by {@link #save} of a search with the same description. */
    void restore(Path file, String description) throws IOException {
        Map<String, double[]> states = statesToSave();
        TrainerCheckpoint c = TrainerCheckpoint.read(file, description, params, states, architecture);
        weights.restore(c.weightOptimizer());
        architect.restore(c.architectureOptimizer());
        String[] lines = c.extra().split("\n");
        String[] cursors = lines[0].split(" ");
        row = Integer.parseInt(cursors[0]);
        validRow = Integer.parseInt(cursors[1]);
        trainState = Boolean.parseBoolean(cursors[2]) ? array(states.get("train.hidden")) : null;
        validState = Boolean.parseBoolean(cursors[3]) ? array(states.get("validation.hidden")) : null;
        done = c.epochs();
        if (lines.length != done + 1) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + (lines.length - 1)
                    + " segments' losses for " + done + " segments done");
        }
        for (int i = 0; i < done; i++) {
            String[] l = lines[i + 1].split(" ");
            trainingLosses[i] = Double.parseDouble(l[0]);
            validationLosses[i] = Double.parseDouble(l[1]);
            gradientNorms[i] = Double.parseDouble(l[2]);
        }
        for (Map.Entry<String, INDArray> e : cell.runningStatistics().entrySet()) {
            e.getValue().assign(Nd4j.createFromArray(states.get("cell.norm." + e.getKey()))
                    .castTo(e.getValue().dataType()).reshape(e.getValue().shape()));
        }
    }

    /**
     * Copies of what a checkpoint holds beside the weights: the batch norm's running statistics and the two
     * carried hidden states (zeros when a split starts afresh).
     */
    private Map<String, double[]> statesToSave() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : cell.runningStatistics().entrySet()) {
            out.put("cell.norm." + e.getKey(), e.getValue().castTo(DataType.DOUBLE).toDoubleVector());
        }
        int n = s.batch() * s.hiddenSize();
        out.put("train.hidden", trainState == null ? new double[n] : flat(trainState));
        out.put("validation.hidden", validState == null ? new double[n] : flat(validState));
        return out;
    }

    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    private INDArray array(double[] v) {
        return Nd4j.createFromArray(v).castTo(DataType.FLOAT).reshape(s.batch(), s.hiddenSize());
    }

    private void restore(INDArray state) {
        if (state == null) {
            lm.resetState();
        } else {
            lm.restoreState(state);
        }
    }

    private static void requireFinite(double loss, String split, int segment) {
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("the " + split + " loss of segment " + segment + " was " + loss);
        }
    }

    @Override
    public String toString() {
        return "RecurrentSearchRun[done=" + done + ", row=" + row + ", validRow=" + validRow + ", losses="
                + Arrays.toString(Arrays.copyOf(trainingLosses, done)) + "]";
    }
}
