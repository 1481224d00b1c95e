package dev.nnkit.training;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.Step;
import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.WideningOptimizer;
import dev.nnkit.internal.SplitMix;
import dev.nnkit.spi.FloatOptimizer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.RandomSource;
import dev.nnkit.spi.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * One network's training as the {@link Trainer} runs it: everything a run needs besides the
 * network's model — the batch buffers, the example order, the copy of the last good model, the
 * training step's context and random streams, the step counter — and the {@link TrainingContext}
 * its listeners read. Made by a trainer for a network and reused by that trainer's next run on the
 * same network, so that a second {@code fit} allocates none of its buffers again (they grow when a
 * run needs more, never shrink).
 *
 * <p>Runs on the thread that called {@code fit}, which the network has marked as its trainer (see
 * {@link Network}); the same session never runs twice at once.
 */
final class TrainingSession implements TrainingContext {

    final Network network;
    private final List<Parameter> parameters;
    /** The network's parameter values then its layer state arrays, live. */
    private final List<DMatrixRMaj> model;
    private final DMatrixRMaj xBatch = new DMatrixRMaj(1, 1);
    private final DMatrixRMaj yBatch = new DMatrixRMaj(1, 1);
    /** A float32 network's float parameters (live), or null for a float64 network. */
    private final List<FloatParameter> floatParameters;
    /** The batch in float, for a float32 network. */
    private final FMatrixRMaj xFloat = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj yFloat = new FMatrixRMaj(1, 1);
    /** A float32 network's last good model: its float parameters and its (double) layer state, or null. */
    private final FloatSnapshot lastGoodFloats;
    private int[] order = new int[0];
    private final ModelSnapshot lastGood;
    /** Re-seeded in place every epoch, so that an epoch allocates nothing. */
    private final SplitMix epochRandom = new SplitMix(0);
    private final SplitMix shuffling = new SplitMix(0);
    private final SplitMix dropout = new SplitMix(0);
    /** The training pass's context, reused by every step of every run (its buffers are the layers' scratch). */
    private final Step step = Step.training(dropout);
    private final List<ModelSnapshot> restores = new ArrayList<>();

    // the current run
    private Hyperparameters hyperparameters;
    private Optimizer optimizer;
    private FloatOptimizer floatOptimizer;
    private long stepsDone;
    private int epoch;
    private int stepsPerEpoch;
    private double learningRate;
    private double stepCost;
    private double epochCostSum;
    private int epochExamples;
    private boolean betweenEpochs;
    private boolean stop;
    private double lastGoodCost;
    // divergence with finite costs
    private double startRms;
    private double startCost;
    private double previousEpochCost;
    private int risingEpochs;

    /** Parameters whose root mean square grew past this multiple of max(1, its starting value)... */
    static final double GROWTH_LIMIT = 1e3;
    /** ...while the epoch's cost is above this fraction of the run's first step's: divergence. */
    static final double NO_PROGRESS = 0.9;
    /** This many epochs in a row with a rising cost, above the run's first step's: divergence. */
    static final int RISING_EPOCHS = 10;

    TrainingSession(Network network) {
        this.network = network;
        this.parameters = Access.model().parameters(network);
        this.model = Access.model().modelArrays(network);
        this.floatParameters = Access.model().floatParameters(network);
        this.lastGoodFloats = floatParameters == null ? null
                : new FloatSnapshot(floatParameters, model.subList(parameters.size(), model.size()));
        this.lastGood = ModelSnapshot.of(network);
    }

    /**
     * Trains the epochs {@code firstEpoch..hp.epochs()} (all of them, or those left after
     * {@code resumeFrom}), calling {@code history} and then {@code listeners} as it goes.
     */
    void run(Hyperparameters hp, Optimizer runOptimizer, Schedule schedule, TrainingState resumeFrom, Dataset data,
             TrainingHistory history, List<TrainingListener> listeners) {
        hyperparameters = hp;
        optimizer = runOptimizer;
        floatOptimizer = floatParameters == null ? null : WideningOptimizer.of(runOptimizer);
        int firstEpoch = 1;
        stepsDone = 0;
        if (resumeFrom != null) {
            optimizer.restoreState(resumeFrom.optimizerState());
            firstEpoch = resumeFrom.epochsDone() + 1;
            stepsDone = resumeFrom.stepsDone();
        }
        epoch = firstEpoch - 1;
        learningRate = Double.NaN;
        stepCost = Double.NaN;
        epochCostSum = 0;
        epochExamples = 0;
        betweenEpochs = true;
        stop = false;
        restores.clear();
        double baseRate = optimizer.baseLearningRate();
        int m = data.size();
        int batch = hp.batchSize() == 0 ? m : Math.min(hp.batchSize(), m);
        boolean fullBatch = batch == m;
        stepsPerEpoch = (m + batch - 1) / batch;
        int epochsToRun = Math.max(0, hp.epochs() - firstEpoch + 1);
        history.reserve((long) epochsToRun * stepsPerEpoch, epochsToRun);
        List<TrainingListener> all = new ArrayList<>(listeners.size() + 1);
        all.add(history);
        all.addAll(listeners);
        if (order.length != m) {
            order = new int[m];
        }
        // full batch: the data set itself (built once when its features are compact); else reused buffers
        DMatrixRMaj x = fullBatch && floatParameters == null ? Access.data().x(data) : xBatch;
        DMatrixRMaj y = fullBatch && floatParameters == null ? Access.data().y(data) : yBatch;
        if (floatParameters != null && fullBatch) {
            Access.data().gather(data, null, 0, m, xFloat, yFloat);
        }
        Access.model().settle(network);
        if (floatParameters == null) {
            lastGood.copyFrom(model, stepsDone, epoch);
        } else {
            lastGoodFloats.copyFrom(stepsDone);
        }
        lastGoodCost = Double.NaN;
        RandomSource source = Access.model().trainingSource(network);
        Access.model().random(step, dropout);
        startRms = parameterRms();
        startCost = Double.NaN;
        previousEpochCost = Double.NaN;
        risingEpochs = 0;

        for (int e = firstEpoch; e <= hp.epochs(); e++) {
            RandomGenerator shuffleStream = shuffling;
            if (source == null) {
                epochRandom.reset(SplitMix.epochSeed(hp.seed(), e));
                shuffling.splitFrom(epochRandom);
                dropout.splitFrom(epochRandom);
            } else {
                // one stream per epoch: the order first, then the dropout masks
                shuffleStream = source.epochGenerator(hp.seed(), e);
                Access.model().random(step, shuffleStream);
            }
            if (!fullBatch && hp.shuffle()) {
                for (int k = 0; k < m; k++) {
                    order[k] = k;
                }
                Access.data().shuffle(order, shuffleStream);
            } else if (e == firstEpoch) {
                for (int k = 0; k < m; k++) {
                    order[k] = k;
                }
            }
            epoch = e;
            epochCostSum = 0;
            epochExamples = 0;
            betweenEpochs = false;
            for (int from = 0; from < m; from += batch) {
                int to = Math.min(m, from + batch);
                double cost;
                if (floatParameters == null) {
                    if (!fullBatch) {
                        Access.data().gather(data, order, from, to, x, y);
                    }
                    cost = Access.model().forwardBackward(network, x, y, step);
                } else {
                    if (!fullBatch) {
                        Access.data().gather(data, order, from, to, xFloat, yFloat);
                    }
                    cost = Access.model().forwardBackward(network, xFloat, yFloat, step);
                }
                stepsDone++;
                if (!Double.isFinite(cost)) {
                    throw diverged(stepsDone, e, cost);
                }
                if (floatParameters == null) {
                    lastGood.copyFrom(model, stepsDone, e);
                } else {
                    lastGoodFloats.copyFrom(stepsDone);
                }
                lastGoodCost = cost;
                if (Double.isNaN(startCost)) {
                    startCost = cost;
                }
                double rate = schedule.learningRate(baseRate, stepsDone, e, stepsPerEpoch);
                if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) {
                    throw new IllegalStateException("schedule " + schedule + " gave the learning rate " + rate + " for step "
                            + stepsDone + " (epoch " + e + "); a schedule must give a finite rate >= 0 at every step");
                }
                if (floatParameters == null) {
                    optimizer.update(parameters, stepsDone, rate);
                } else {
                    floatOptimizer.floatUpdate(floatParameters, stepsDone, rate);
                    Access.model().floatsUpdated(network); // copied into the doubles when something reads them
                }
                learningRate = rate;
                stepCost = cost;
                epochCostSum += cost * (to - from);
                epochExamples += to - from;
                for (int k = 0; k < all.size(); k++) { // indexed: no iterator in the step
                    all.get(k).onStep(this);
                }
            }
            betweenEpochs = true;
            Access.model().settle(network); // the doubles hold the epoch's model for the checks and the listeners
            checkGrowth(e);
            for (int k = 0; k < all.size(); k++) {
                all.get(k).onEpochEnd(this);
            }
            if (stop) {
                break;
            }
        }
        Access.model().settle(network);
        if (!allFinite()) {
            throw diverged(stepsDone, epoch, Double.NaN);
        }
        for (int k = 0; k < all.size(); k++) {
            all.get(k).onTrainingEnd(this);
        }
        for (ModelSnapshot snapshot : restores) {
            snapshot.copyInto(model);
        }
        Access.model().doublesChanged(network);
        restores.clear();
        optimizer = null;
        floatOptimizer = null;
    }

    private TrainingDivergedException diverged(long atStep, int atEpoch, double cost) {
        long goodStep;
        if (floatParameters == null) {
            lastGood.copyInto(model);
            goodStep = lastGood.step();
        } else {
            lastGoodFloats.copyInto();
            Access.model().floatsUpdated(network);
            Access.model().settle(network);
            goodStep = lastGoodFloats.step;
        }
        Access.model().doublesChanged(network);
        restores.clear();
        optimizer = null;
        floatOptimizer = null;
        return new TrainingDivergedException(atStep, atEpoch, cost, goodStep, lastGoodCost,
                hyperparameters.optimizer());
    }

    /**
     * Divergence with finite costs, checked after every epoch: the parameters' root mean square
     * above {@link #GROWTH_LIMIT} times {@code max(1, its value at the start)} while the epoch's
     * cost is not below {@link #NO_PROGRESS} times the cost of the run's first step (before any
     * update); or the cost rising for {@link #RISING_EPOCHS} epochs in a row and above that first cost.
     */
    private void checkGrowth(int e) {
        double cost = epochCost();
        risingEpochs = cost > previousEpochCost ? risingEpochs + 1 : 0;
        previousEpochCost = cost;
        double rms = parameterRms();
        String why = null;
        if (rms > GROWTH_LIMIT * Math.max(1, startRms) && !(cost < NO_PROGRESS * startCost)) {
            why = String.format(Locale.ROOT, "the parameters' root mean square grew from %.3g to %.3g while the "
                    + "cost went from %.4g (first step) to %.4g (mean of epoch %d)", startRms, rms, startCost, cost, e);
        } else if (risingEpochs >= RISING_EPOCHS && cost > startCost) {
            why = String.format(Locale.ROOT, "the cost rose for %d epochs in a row, to %.4g (mean of epoch %d), above "
                    + "%.4g at the first step", risingEpochs, cost, e, startCost);
        }
        if (why != null) {
            restores.clear();
            optimizer = null;
            throw new TrainingDivergedException(stepsDone, e, cost, why, hyperparameters.optimizer());
        }
    }

    private double parameterRms() {
        double squares = 0;
        long count = 0;
        for (int p = 0; p < parameters.size(); p++) {
            DMatrixRMaj v = parameters.get(p).value();
            double[] d = v.data;
            for (int k = 0, n = v.getNumElements(); k < n; k++) {
                squares += d[k] * d[k];
            }
            count += v.getNumElements();
        }
        return count == 0 ? 0 : Math.sqrt(squares / count);
    }

    private boolean allFinite() {
        for (int p = 0; p < model.size(); p++) {
            DMatrixRMaj a = model.get(p);
            double[] d = a.data;
            for (int k = 0, n = a.getNumElements(); k < n; k++) {
                if (!Double.isFinite(d[k])) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------- the context

    @Override
    public Network network() {
        return network;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public long step() {
        return stepsDone;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public double stepCost() {
        return stepCost;
    }

    @Override
    public double epochCost() {
        return epochExamples == 0 ? Double.NaN : epochCostSum / epochExamples;
    }

    @Override
    public TrainingState state() {
        if (!betweenEpochs) {
            throw new IllegalStateException("the training state exists only between epochs (in onEpochEnd or onTrainingEnd);"
                    + " step " + stepsDone + " is inside epoch " + epoch);
        }
        if (optimizer == null) {
            throw new IllegalStateException("the run has ended; capture the state in onEpochEnd or onTrainingEnd");
        }
        return new TrainingState(hyperparameters, epoch, stepsDone, optimizer.state());
    }

    @Override
    public void capture(ModelSnapshot snapshot) {
        checkOwn(snapshot);
        Access.model().settle(network);
        snapshot.copyFrom(model, stepsDone, epoch);
    }

    @Override
    public void restoreAtEnd(ModelSnapshot snapshot) {
        checkOwn(snapshot);
        if (snapshot.isEmpty()) {
            throw new IllegalStateException("restoreAtEnd: nothing was captured into the snapshot yet; capture(snapshot) first");
        }
        restores.remove(snapshot);
        restores.add(snapshot);
    }

    /**
     * A float32 network's last good model, copied before every update: its float parameters (half
     * the bytes of the doubles) and its layer state, which stays double.
     */
    private static final class FloatSnapshot {
        private final List<FloatParameter> parameters;
        private final List<DMatrixRMaj> state;
        private final float[][] values;
        private final double[][] stateValues;
        long step;

        FloatSnapshot(List<FloatParameter> parameters, List<DMatrixRMaj> state) {
            this.parameters = parameters;
            this.state = state;
            values = new float[parameters.size()][];
            for (int p = 0; p < values.length; p++) {
                values[p] = new float[parameters.get(p).value().getNumElements()];
            }
            stateValues = new double[state.size()][];
            for (int k = 0; k < stateValues.length; k++) {
                stateValues[k] = new double[state.get(k).getNumElements()];
            }
        }

        void copyFrom(long atStep) {
            for (int p = 0; p < values.length; p++) {
                System.arraycopy(parameters.get(p).value().data, 0, values[p], 0, values[p].length);
            }
            for (int k = 0; k < stateValues.length; k++) {
                System.arraycopy(state.get(k).data, 0, stateValues[k], 0, stateValues[k].length);
            }
            step = atStep;
        }

        void copyInto() {
            for (int p = 0; p < values.length; p++) {
                System.arraycopy(values[p], 0, parameters.get(p).value().data, 0, values[p].length);
            }
            for (int k = 0; k < stateValues.length; k++) {
                System.arraycopy(stateValues[k], 0, state.get(k).data, 0, stateValues[k].length);
            }
        }
    }

    private void checkOwn(ModelSnapshot snapshot) {
        if (snapshot.network() != network) {
            throw new IllegalArgumentException("the snapshot was made for the network " + snapshot.network()
                    + ", not for the one being trained (" + network + "); make it with ModelSnapshot.of(network)");
        }
    }

    @Override
    public void requestStop() {
        stop = true;
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    @Override
    public String toString() {
        return "training of " + network + " at step " + stepsDone + " (epoch " + epoch + ")";
    }
}
