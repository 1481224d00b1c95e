package dev.nnkit;

import dev.nnkit.internal.Internals;
import dev.nnkit.internal.WideningActivation;
import dev.nnkit.internal.WideningLoss;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.FloatFusedLoss;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The computation of a float32 network: the float twin of the network's {@link LayerSlot}s, with
 * float buffers, each layer's float kernel ({@link FloatLayer}, or {@link WideningLayer} around a
 * double-only one), each activation's ({@link FloatActivation} or its widening adapter), the
 * transforms widened, and the loss in float.
 *
 * <p><b>Two copies of the parameters, one model.</b> The float parameters are what training reads
 * and the optimizer updates. The network's double {@link Parameter}s stay the model everyone else
 * sees (saving, snapshots, traces, the double getters). The floats are copied into the doubles
 * exactly when something reads the doubles after an update ({@link #floatsUpdated()},
 * {@link #syncDoubles()}); a training step copies only the doubles its own passes read: the
 * weights a penalty reads and every parameter of a layer without a float kernel, which runs its
 * double passes on its double parameters. The doubles are rounded into the floats (and to those
 * floats' values) before a float pass when they may have been written ({@link #doublesChanged()}:
 * initialization, loading, {@code setParameter}, snapshots restored). Once the live double arrays
 * have been handed out ({@link #liveAccess()}), anyone may write them at any time, so from then
 * on every update copies all the floats out and every float pass rounds all the doubles in: two
 * passes over the parameters per step, the price of float64's live-array semantics. Every double
 * holds a float, and a float32 model saved and loaded again is the same bit for bit.
 */
final class FloatPath {

    private final List<Slot> slots;
    private final Head head;
    /** The network's double parameters and their float copies, in the same order. */
    private final List<Parameter> doubles;
    private final List<FloatParameter> floats;
    /** Whether the doubles may have been written since the floats were last rounded from them. */
    private volatile boolean pullNeeded = true;
    /** Whether the floats were updated since they were last copied into the doubles. */
    private volatile boolean doublesStale;
    /** Whether the live double arrays were handed out, so that they may be written at any time. */
    private volatile boolean live;

    FloatPath(List<LayerSlot> layerSlots, Loss loss) {
        List<Slot> made = new ArrayList<>();
        List<Parameter> d = new ArrayList<>();
        List<FloatParameter> f = new ArrayList<>();
        for (LayerSlot slot : layerSlots) {
            Slot s = new Slot(slot);
            made.add(s);
            d.addAll(slot.layer.parameters());
            f.addAll(s.layer.floatParameters());
        }
        this.slots = List.copyOf(made);
        this.doubles = List.copyOf(d);
        this.floats = Collections.unmodifiableList(f);
        if (doubles.size() != floats.size()) {
            throw new IllegalStateException("the layers give " + doubles.size() + " double parameters but "
                    + floats.size() + " float ones; a FloatLayer's floatParameters() must match its parameters()");
        }
        for (int i = 0; i < doubles.size(); i++) {
            Parameter p = doubles.get(i);
            FloatParameter q = floats.get(i);
            if (p.value().numRows != q.value().numRows || p.value().numCols != q.value().numCols) {
                throw new IllegalStateException("parameter " + p.name() + " is (" + p.value().numRows + ", "
                        + p.value().numCols + ") in double but (" + q.value().numRows + ", " + q.value().numCols
                        + ") in float; a FloatLayer's floatParameters() must match its parameters()");
            }
        }
        Slot out = slots.get(slots.size() - 1);
        this.head = Head.of(loss, out.slot.activation);
        settle(); // from the start, the doubles hold the floats' values
    }

    /** The float parameters, live, in the order of the network's double ones. */
    List<FloatParameter> parameters() {
        return floats;
    }

    /** Notes that the double parameters may have been written: the floats are rounded from them before the next float pass. */
    void doublesChanged() {
        pullNeeded = true;
    }

    /** Notes that the live double arrays were handed out: from now on the two copies are synchronized at every update and pass. */
    void liveAccess() {
        live = true;
        pullNeeded = true;
    }

    /**
     * Notes an optimizer update of the floats. Copies at once what the next step's own passes read
     * in double (penalized weights, the parameters of layers without a float kernel), or every
     * parameter once the live arrays are out; the rest when something reads the doubles.
     */
    void floatsUpdated() {
        if (live) {
            synchronized (this) {
                push();
                doublesStale = false;
            }
            return;
        }
        doublesStale = true;
        for (int l = 0; l < slots.size(); l++) {
            slots.get(l).pushDoublesItsPassesRead();
        }
    }

    /**
     * Before a float pass: rounds pending double writes into the floats (after copying out the
     * floats' updates, which pending writes must not undo); nothing when the doubles were not
     * written and are not out, so a training step does not copy its parameters.
     */
    void beforeFloatPass() {
        if (pullNeeded || live) {
            synchronized (this) {
                pushIfStale();
                pull();
                pullNeeded = false;
            }
        }
    }

    /** Before the doubles are read: copies the floats' updates into them (exact). Leaves pending double writes alone. */
    void syncDoubles() {
        if (doublesStale) {
            synchronized (this) {
                pushIfStale();
            }
        }
    }

    /** Makes the floats and the doubles the same numbers: the floats copied out after an update, then pending double writes rounded in. */
    void settle() {
        if (doublesStale || pullNeeded) {
            synchronized (this) {
                pushIfStale();
                if (pullNeeded) {
                    pull();
                    pullNeeded = false;
                }
            }
        }
    }

    /** Rounds the doubles into the floats, and the doubles to those floats' values, so that the two stay the same numbers. */
    private void pull() {
        for (int i = 0; i < doubles.size(); i++) {
            DMatrixRMaj d = doubles.get(i).value();
            Internals.widen(Internals.narrow(d, floats.get(i).value()), d);
        }
    }

    /** {@link #push()} when an update has run since the last one; called holding this object's lock. */
    private void pushIfStale() {
        if (doublesStale) {
            push();
            doublesStale = false;
        }
    }

    private void push() {
        for (int i = 0; i < doubles.size(); i++) {
            Internals.widen(floats.get(i).value(), doubles.get(i).value());
        }
    }

    /**
     * One training-arithmetic forward and backward pass over a float batch with the slots'
     * buffers; the cost (penalties included) is returned in double.
     */
    double forwardBackward(FMatrixRMaj x, FMatrixRMaj y, Step step, double penalty) {
        FMatrixRMaj current = x;
        for (int l = 0; l < slots.size(); l++) {
            current = slots.get(l).forward(current, step);
        }
        Slot out = slots.get(slots.size() - 1);
        double cost = head.cost(out.z, out.a, y) + penalty;
        out.gradient.reshape(out.z.numRows, out.z.numCols);
        head.backward(out, y, step, slots.size() > 1 ? slots.get(slots.size() - 2).gradient : NO_INPUT_GRADIENT);
        for (int l = slots.size() - 2; l >= 0; l--) {
            slots.get(l).backward(step, l > 0 ? slots.get(l - 1).gradient : NO_INPUT_GRADIENT);
        }
        return cost;
    }

    /**
     * An inference pass of {@code x} through every layer into new matrices; {@code zOut}, when
     * given, receives the output layer's {@code Z} (for the fused cost).
     */
    FMatrixRMaj infer(FMatrixRMaj x, Step step, FMatrixRMaj zOut) {
        FMatrixRMaj[] outs = new FMatrixRMaj[slots.size()];
        for (int l = 0; l < outs.length; l++) {
            outs[l] = new FMatrixRMaj(slots.get(l).slot.units, x.numCols);
        }
        return infer(x, step, outs, zOut);
    }

    /** {@link #infer(FMatrixRMaj, Step, FMatrixRMaj)} into the caller's per-layer outputs, reshaped to {@code (n[l], m)}. */
    FMatrixRMaj infer(FMatrixRMaj x, Step step, FMatrixRMaj[] outs, FMatrixRMaj zOut) {
        FMatrixRMaj current = x;
        for (int l = 0; l < slots.size(); l++) {
            Slot s = slots.get(l);
            outs[l].reshape(s.slot.units, x.numCols);
            current = s.infer(current, step, outs[l], l == slots.size() - 1 ? zOut : null);
        }
        return current;
    }

    private static final FMatrixRMaj NO_INPUT_GRADIENT = new FMatrixRMaj(0, 0);

    /** One position's float kernels and buffers; the part numbers are its {@link LayerSlot}'s. */
    private static final class Slot {
        final LayerSlot slot;
        final FloatLayer layer;
        final FloatActivation activation;
        final FloatActivationTransform[] transforms;
        final FloatParameter[] weights;
        final DMatrixRMaj[] doubleWeights;
        final FMatrixRMaj z = new FMatrixRMaj(1, 1);
        final FMatrixRMaj a = new FMatrixRMaj(1, 1);
        final FMatrixRMaj[] transformed;
        final FMatrixRMaj gradient = new FMatrixRMaj(1, 1);
        final DMatrixRMaj penaltyScratch = new DMatrixRMaj(1, 1);
        FMatrixRMaj input;
        FMatrixRMaj output;

        Slot(LayerSlot slot) {
            this.slot = slot;
            this.layer = slot.layer instanceof FloatLayer f ? f : new WideningLayer(slot.layer);
            this.activation = WideningActivation.of(slot.activation);
            this.transforms = new FloatActivationTransform[slot.transforms.length];
            this.transformed = new FMatrixRMaj[slot.transforms.length];
            for (int k = 0; k < transforms.length; k++) {
                transforms[k] = slot.transforms[k] instanceof FloatActivationTransform f ? f
                        : new WideningTransform(slot.transforms[k]);
                transformed[k] = new FMatrixRMaj(1, 1);
            }
            List<FloatParameter> fs = layer.floatParameters();
            List<Parameter> ds = slot.layer.parameters();
            List<FloatParameter> w = new ArrayList<>();
            List<DMatrixRMaj> dw = new ArrayList<>();
            for (int i = 0; i < fs.size(); i++) {
                if (fs.get(i).role() == Parameter.Role.WEIGHT) {
                    w.add(fs.get(i));
                    dw.add(ds.get(i).value());
                }
            }
            this.weights = w.toArray(FloatParameter[]::new);
            this.doubleWeights = dw.toArray(DMatrixRMaj[]::new);
        }

        FMatrixRMaj forward(FMatrixRMaj in, Step step) {
            int m = in.numCols;
            input = in;
            z.reshape(slot.units, m);
            a.reshape(slot.units, m);
            step.enter(slot.part, slot.first);
            layer.forward(in, z, step);
            activation.forward(z, a);
            FMatrixRMaj current = a;
            for (int k = 0; k < transforms.length; k++) {
                transformed[k].reshape(slot.units, m);
                step.enter(slot.part + 1 + k, slot.first);
                transforms[k].forward(current, transformed[k], step);
                current = transformed[k];
            }
            output = current;
            return current;
        }

        FMatrixRMaj infer(FMatrixRMaj in, Step step, FMatrixRMaj out, FMatrixRMaj zOut) {
            step.enter(slot.part, slot.first);
            layer.forward(in, out, step);
            if (zOut != null) {
                zOut.setTo(out);
            }
            activation.forward(out, out);
            for (int k = 0; k < transforms.length; k++) {
                step.enter(slot.part + 1 + k, slot.first);
                transforms[k].forward(out, out, step);
            }
            return out;
        }

        void backward(Step step, FMatrixRMaj previous) {
            for (int k = transforms.length - 1; k >= 0; k--) {
                step.enter(slot.part + 1 + k, slot.first);
                transforms[k].backward(gradient, step);
            }
            activation.backward(z, a, gradient, gradient);
            backwardFromDz(step, previous);
        }

        /**
         * After an update, the doubles this position's own passes read, copied from the floats
         * (exact): every parameter of a layer without a float kernel (its double passes read them),
         * else the weights a penalty reads (its gradient and cost read them).
         */
        void pushDoublesItsPassesRead() {
            if (layer instanceof WideningLayer widening) {
                widening.pushParameters();
            } else if (slot.penalties.length > 0) {
                for (int j = 0; j < weights.length; j++) {
                    Internals.widen(weights[j].value(), doubleWeights[j]);
                }
            }
        }

        /**
         * The layer's backward pass, then each weight penalty's gradient: computed in double on the
         * double weights (which equal the float ones: {@link #pushDoublesItsPassesRead} runs after
         * every update) into scratch and rounded into the float gradient.
         */

        void backwardFromDz(Step step, FMatrixRMaj previous) {
            if (!slot.first) {
                previous.reshape(input.numRows, input.numCols);
            }
            step.enter(slot.part, slot.first);
            layer.backward(input, z, gradient, previous, step);
            int m = input.numCols;
            for (int j = 0; j < weights.length && slot.penalties.length > 0; j++) {
                DMatrixRMaj g = Internals.widen(weights[j].gradient(), penaltyScratch);
                for (WeightPenalty penalty : slot.penalties) {
                    penalty.addPenaltyGradient(doubleWeights[j], m, g);
                }
                Internals.narrow(g, weights[j].gradient());
            }
        }
    }

    /**
     * The output layer's cost and backward pass in float: fused ({@code dZ = A - Y}) or general,
     * chosen as the double network chooses ({@link Network}).
     */
    private abstract static class Head {

        static Head of(Loss loss, dev.nnkit.spi.Activation output) {
            if (loss instanceof FusedLoss fused && output instanceof StandardActivation standard
                    && standard.function() == fused.fusedWith()) {
                return new Fused(WideningLoss.fused(fused));
            }
            return new General(WideningLoss.of(loss), loss instanceof FusedLoss fused ? fused : null);
        }

        abstract double cost(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y);

        abstract void backward(Slot out, FMatrixRMaj y, Step step, FMatrixRMaj previous);

        private static final class Fused extends Head {
            private final FloatFusedLoss loss;

            Fused(FloatFusedLoss loss) {
                this.loss = loss;
            }

            @Override
            double cost(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y) {
                return loss.fusedCost(z, y);
            }

            @Override
            void backward(Slot out, FMatrixRMaj y, Step step, FMatrixRMaj previous) {
                loss.fusedGradient(out.z, out.a, y, out.gradient);
                out.backwardFromDz(step, previous);
            }
        }

        private static final class General extends Head {
            private final FloatLoss loss;
            private final FusedLoss probabilities;

            General(FloatLoss loss, FusedLoss probabilities) {
                this.loss = loss;
                this.probabilities = probabilities;
            }

            @Override
            double cost(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y) {
                if (probabilities != null) {
                    float[] d = a.data;
                    for (int k = 0, n = a.getNumElements(); k < n; k++) {
                        if (d[k] < 0f || d[k] > 1f) {
                            throw Network.notAProbability(probabilities, k / a.numCols, k % a.numCols, d[k]);
                        }
                    }
                }
                return loss.cost(a, y);
            }

            @Override
            void backward(Slot out, FMatrixRMaj y, Step step, FMatrixRMaj previous) {
                loss.gradient(out.output, y, out.gradient);
                out.backward(step, previous);
            }
        }
    }

    /**
     * A double-only layer in a float32 network: float copies of its parameters for the optimizer
     * (copied into the layer's double parameters after every update, {@link #pushParameters()}),
     * its input and {@code dZ} widened into the step's double scratch, its {@code Z},
     * {@code dA[l-1]} and gradients rounded back.
     */
    static final class WideningLayer implements FloatLayer {
        private final Layer layer;
        private final List<FloatParameter> floats;

        WideningLayer(Layer layer) {
            this.layer = layer;
            List<FloatParameter> made = new ArrayList<>();
            for (Parameter p : layer.parameters()) {
                made.add(new FloatParameter(p.name(), p.role(), new FMatrixRMaj(p.value().numRows, p.value().numCols),
                        new FMatrixRMaj(p.value().numRows, p.value().numCols)));
            }
            this.floats = List.copyOf(made);
        }

        @Override
        public List<FloatParameter> floatParameters() {
            return floats;
        }

        /** The float values into the layer's double parameters (exact), which its double passes read. */
        void pushParameters() {
            List<Parameter> ds = layer.parameters();
            for (int i = 0; i < floats.size(); i++) {
                Internals.widen(floats.get(i).value(), ds.get(i).value());
            }
        }

        @Override
        public void forward(FMatrixRMaj input, FMatrixRMaj output, StepContext context) {
            Step step = (Step) context;
            DMatrixRMaj in = Internals.widen(input, step.wideBuffer(0, input.numRows, input.numCols));
            DMatrixRMaj out = step.wideBuffer(1, output.numRows, output.numCols);
            layer.forward(in, out, step);
            Internals.narrow(out, output);
        }

        @Override
        public void backward(FMatrixRMaj input, FMatrixRMaj output, FMatrixRMaj dOutput, FMatrixRMaj dInput,
                             StepContext context) {
            Step step = (Step) context;
            // the forward pass's widened input and output are still in buffers 0 and 1 (same shapes)
            DMatrixRMaj in = step.wideBuffer(0, input.numRows, input.numCols);
            DMatrixRMaj out = step.wideBuffer(1, output.numRows, output.numCols);
            DMatrixRMaj dOut = Internals.widen(dOutput, step.wideBuffer(2, dOutput.numRows, dOutput.numCols));
            DMatrixRMaj dIn = context.needsInputGradient() ? step.wideBuffer(3, input.numRows, input.numCols) : NO_INPUT;
            layer.backward(in, out, dOut, dIn, step);
            if (context.needsInputGradient()) {
                Internals.narrow(dIn, dInput);
            }
            List<Parameter> ds = layer.parameters();
            for (int i = 0; i < floats.size(); i++) {
                Internals.narrow(ds.get(i).gradient(), floats.get(i).gradient());
            }
        }

        private static final DMatrixRMaj NO_INPUT = new DMatrixRMaj(0, 0);
    }

    /** A transform (dropout) in a float32 network: the activations and their gradient widened into the step's double scratch. */
    static final class WideningTransform implements FloatActivationTransform {
        private final ActivationTransform transform;

        WideningTransform(ActivationTransform transform) {
            this.transform = transform;
        }

        @Override
        public void forward(FMatrixRMaj a, FMatrixRMaj out, StepContext context) {
            Step step = (Step) context;
            DMatrixRMaj in = Internals.widen(a, step.wideBuffer(0, a.numRows, a.numCols));
            DMatrixRMaj result = step.wideBuffer(1, a.numRows, a.numCols);
            transform.forward(in, step.mode() == StepContext.Mode.INFERENCE ? in : result, step);
            Internals.narrow(step.mode() == StepContext.Mode.INFERENCE ? in : result, out);
        }

        @Override
        public void backward(FMatrixRMaj dA, StepContext context) {
            Step step = (Step) context;
            DMatrixRMaj g = Internals.widen(dA, step.wideBuffer(2, dA.numRows, dA.numCols));
            transform.backward(g, step);
            Internals.narrow(g, dA);
        }
    }
}
