package dev.nnkit.gradcheck.kit;

import dev.nnkit.Step;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The checks of a layer's float kernel ({@link FloatLayer}); see
 * {@link Conformance#layer(String, int, int)}. The kit plays the network's part: it rounds the
 * double parameters into the float ones and the double ones to those values, so both kernels see
 * the same numbers, and compares the float passes with the double passes on the same
 * float-representable input.
 */
final class FloatLayerChecks {

    /**
     * How far a float result may be from the double kernel's on the same input: {@code 2^-14} (1024
     * float roundoffs) of the largest entry of the double result, plus {@code 2^-126}. Sums of a few
     * dozen float products stay well within it; a wrong sign, a wrong scale, a missing term or a
     * kernel that reads other parameters is off by a sizeable fraction of the result.
     */
    static final double TOLERANCE = 0x1p-14;

    private final LayerChecks layers;
    private final Maker<Layer> maker;
    private final int inputSize;
    private final int batch;

    FloatLayerChecks(LayerChecks layers, Maker<Layer> maker, int inputSize, int batch) {
        this.layers = layers;
        this.maker = maker;
        this.inputSize = inputSize;
        this.batch = batch;
    }

    List<Check> all() {
        String label = maker.label();
        return List.of(
                new Check(label, "float parameters aligned", this::aligned),
                new Check(label, "float kernel", this::kernel),
                new Check(label, "float passes read the float parameters", this::readsFloatParameters),
                new Check(label, "no allocation in steady state (float)", this::allocation));
    }

    /** Null when {@code floatParameters()} matches {@code parameters()}: count, names, roles, shapes, distinct arrays. */
    private static String misalignment(Layer layer) {
        List<Parameter> doubles = layer.parameters();
        List<FloatParameter> floats = ((FloatLayer) layer).floatParameters();
        if (floats == null) {
            return "floatParameters() returned null";
        }
        if (floats.size() != doubles.size()) {
            return "floatParameters() has " + floats.size() + " arrays " + names(floats) + " but parameters() has "
                    + doubles.size() + " " + doubleNames(doubles);
        }
        for (int i = 0; i < doubles.size(); i++) {
            Parameter p = doubles.get(i);
            FloatParameter q = floats.get(i);
            if (!p.name().equals(q.name()) || p.role() != q.role()) {
                return "float parameter " + i + " is " + q.name() + " (" + q.role() + ") but parameter " + i + " is " + p.name()
                        + " (" + p.role() + "); floatParameters() " + names(floats) + " must list parameters() "
                        + doubleNames(doubles) + " in the same order";
            }
            if (p.value().numRows != q.value().numRows || p.value().numCols != q.value().numCols) {
                return "float parameter " + q.name() + " is (" + q.value().numRows + " x " + q.value().numCols
                        + ") but the double one is " + Numerics.shape(p.value());
            }
        }
        if (((FloatLayer) layer).floatParameters() != floats) {
            return "floatParameters() returned a new list at the second call; it returns the same live list every time";
        }
        return null;
    }

    private static String names(List<FloatParameter> floats) {
        return floats.stream().map(FloatParameter::name).toList().toString();
    }

    private static String doubleNames(List<Parameter> doubles) {
        return doubles.stream().map(Parameter::name).toList().toString();
    }

    /** A connected, initialized layer whose double and float parameters hold the same float values. */
    private Layer aligned(String check) {
        Layer layer = layers.connected();
        String problem = misalignment(layer);
        if (problem != null) {
            throw new CheckFailure(check + ": " + problem);
        }
        List<Parameter> doubles = layer.parameters();
        List<FloatParameter> floats = ((FloatLayer) layer).floatParameters();
        for (int i = 0; i < doubles.size(); i++) {
            DMatrixRMaj d = FloatNumerics.round(doubles.get(i).value());
            FMatrixRMaj f = floats.get(i).value();
            for (int k = 0; k < d.getNumElements(); k++) {
                f.data[k] = (float) d.data[k];
            }
        }
        return layer;
    }

    /**
     * {@code floatParameters()} lists the arrays of {@code parameters()} in the same order, with the
     * same names, roles and shapes, and is the same list at every call.
     */
    private String aligned() {
        Layer layer = aligned("float parameters aligned");
        List<FloatParameter> floats = ((FloatLayer) layer).floatParameters();
        return "floatParameters() " + names(floats) + " matches parameters() in order, names, roles and shapes";
    }

    /** The results of one pass of a kernel, widened: Z, dInput, the parameter gradients, the state after the pass. */
    private record Pass(DMatrixRMaj z, DMatrixRMaj dX, List<DMatrixRMaj> gradients, List<DMatrixRMaj> state) {
    }

    private static Step step(StepContext.Mode mode, long seed) {
        return switch (mode) {
            case TRAINING -> Step.training(new SplittableRandom(seed));
            case CHECKING -> Step.checking();
            case INFERENCE -> Step.inference();
        };
    }

    private static List<DMatrixRMaj> state(Layer layer) {
        List<DMatrixRMaj> copies = new ArrayList<>();
        for (StateArray s : layer.state()) {
            copies.add(s.value().copy());
        }
        return copies;
    }

    private static void restore(Layer layer, List<DMatrixRMaj> copies) {
        for (int i = 0; i < copies.size(); i++) {
            layer.state().get(i).value().setTo(copies.get(i));
        }
    }

    /** The double kernel's forward and, except at inference, backward pass with {@code dOutput = r}. */
    private Pass doublePass(Layer layer, DMatrixRMaj x, DMatrixRMaj r, StepContext.Mode mode, long seed) {
        Step step = step(mode, seed);
        DMatrixRMaj z = Numerics.filled(r.numRows, x.numCols, Double.NaN);
        layer.forward(x, z, step);
        DMatrixRMaj dX = null;
        List<DMatrixRMaj> gradients = new ArrayList<>();
        if (mode != StepContext.Mode.INFERENCE) {
            dX = Numerics.filled(inputSize, x.numCols, Double.NaN);
            layer.backward(x, z, r, dX, step);
            for (Parameter p : layer.parameters()) {
                gradients.add(p.gradient().copy());
            }
        }
        return new Pass(z, dX, gradients, state(layer));
    }

    /** The float kernel's passes, as {@link #doublePass}, into NaN-filled outputs and gradients. */
    private Pass floatPass(Layer layer, DMatrixRMaj x, DMatrixRMaj r, StepContext.Mode mode, long seed) {
        FloatLayer f = (FloatLayer) layer;
        Step step = step(mode, seed);
        FMatrixRMaj x32 = FloatNumerics.narrow(x);
        FMatrixRMaj z = FloatNumerics.filled(r.numRows, x.numCols, Float.NaN);
        f.forward(x32, z, step);
        DMatrixRMaj dX = null;
        List<DMatrixRMaj> gradients = new ArrayList<>();
        if (mode != StepContext.Mode.INFERENCE) {
            FMatrixRMaj dX32 = FloatNumerics.filled(inputSize, x.numCols, Float.NaN);
            for (FloatParameter p : f.floatParameters()) {
                p.gradient().fill(Float.NaN);
            }
            f.backward(x32, z, FloatNumerics.narrow(r), dX32, step);
            dX = FloatNumerics.widen(dX32);
            for (FloatParameter p : f.floatParameters()) {
                gradients.add(FloatNumerics.widen(p.gradient()));
            }
        }
        return new Pass(FloatNumerics.widen(z), dX, gradients, state(layer));
    }

    /**
     * After two training steps (so that state such as running averages has moved), on a
     * float-representable {@code (inputSize, m)} input with float-representable parameters: the
     * float forward pass in {@code TRAINING} (steps of one seed), {@code CHECKING} and
     * {@code INFERENCE}, and the float backward pass with {@code dOutput = R} in the first two, agree
     * with the double passes within {@link #TOLERANCE} of the largest entry: {@code Z}, dInput, each
     * float parameter gradient, and the state after the pass (a float {@code TRAINING} pass updates
     * the double state as the double one does).
     */
    private String kernel() {
        String check = "float kernel";
        Layer layer = aligned(check);
        layers.train(layer);
        DMatrixRMaj x = FloatNumerics.round(layers.input(batch, 60));
        DMatrixRMaj r = FloatNumerics.round(layers.weights(layer));
        List<String> names = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            names.add(p.name());
        }
        int compared = 0;
        for (StepContext.Mode mode : StepContext.Mode.values()) {
            List<DMatrixRMaj> start = state(layer);
            Pass expected = doublePass(layer, x, r, mode, 61);
            restore(layer, start);
            Pass got = floatPass(layer, x, r, mode, 61);
            restore(layer, start);
            String where = check + ": in a " + mode + " pass, ";
            compared += compare(where, "Z", expected.z(), got.z());
            if (mode != StepContext.Mode.INFERENCE) {
                compared += compare(where, "dInput", expected.dX(), got.dX());
                for (int i = 0; i < names.size(); i++) {
                    compared += compare(where, "the gradient of " + names.get(i), expected.gradients().get(i),
                            got.gradients().get(i));
                }
            }
            for (int i = 0; i < expected.state().size(); i++) {
                compared += compare(where, "state " + layer.state().get(i).name(), expected.state().get(i), got.state().get(i));
            }
        }
        return "float passes within 2^-14 of the largest entry of the double passes' results on the same float input "
                + "(TRAINING, CHECKING, INFERENCE; Z, dInput, parameter gradients and state), at " + compared + " entries";
    }

    private static int compare(String where, String what, DMatrixRMaj expected, DMatrixRMaj got) {
        String problem = FloatNumerics.normwise(what, expected, FloatNumerics.narrow(got), TOLERANCE);
        if (problem == null) {
            int k = Numerics.firstNonFinite(got);
            if (k >= 0) {
                problem = what + Numerics.at(got, k) + " is " + got.data[k] + " in the float pass, which writes every entry";
            }
        }
        if (problem != null) {
            throw new CheckFailure(where + problem);
        }
        return expected.getNumElements();
    }

    /**
     * With the double parameters set to NaN, the float {@code CHECKING} forward and backward passes
     * give the same bits as before: they read {@code floatParameters()}, which the network updates,
     * not the double arrays; and they leave the double parameters alone.
     */
    private String readsFloatParameters() {
        String check = "float passes read the float parameters";
        Layer layer = aligned(check);
        DMatrixRMaj x = FloatNumerics.round(layers.input(batch, 62));
        DMatrixRMaj r = FloatNumerics.round(layers.weights(layer));
        Pass before = floatPass(layer, x, r, StepContext.Mode.CHECKING, 0);
        List<Parameter> doubles = layer.parameters();
        List<DMatrixRMaj> saved = new ArrayList<>();
        for (Parameter p : doubles) {
            saved.add(p.value().copy());
            p.value().fill(Double.NaN);
        }
        Pass after;
        try {
            after = floatPass(layer, x, r, StepContext.Mode.CHECKING, 0);
        } finally {
            for (int i = 0; i < doubles.size(); i++) {
                doubles.get(i).value().setTo(saved.get(i));
            }
        }
        List<DMatrixRMaj> first = new ArrayList<>(List.of(before.z(), before.dX()));
        first.addAll(before.gradients());
        List<DMatrixRMaj> second = new ArrayList<>(List.of(after.z(), after.dX()));
        second.addAll(after.gradients());
        List<String> names = new ArrayList<>(List.of("Z", "dInput"));
        for (Parameter p : doubles) {
            names.add("the gradient of " + p.name());
        }
        for (int i = 0; i < first.size(); i++) {
            int k = Numerics.firstDifference(first.get(i), second.get(i));
            if (k >= 0) {
                throw new CheckFailure(check + ": with the double parameters set to NaN, the float CHECKING pass gives "
                        + names.get(i) + Numerics.at(first.get(i), k) + " = " + second.get(i).data[k] + " instead of "
                        + first.get(i).data[k] + "; a FloatLayer's passes read floatParameters(), which is what the "
                        + "optimizer of a float32 network updates");
            }
        }
        return "the float passes give the same bits with the double parameters set to NaN";
    }

    /**
     * As the double allocation check, with float passes: 200 {@code TRAINING} float forward and
     * backward passes with one reused step allocate at most {@value LayerChecks#ALLOCATION_SLACK}
     * bytes after warming up.
     */
    private String allocation() {
        String check = "no allocation in steady state (float)";
        Layer layer = aligned(check);
        FloatLayer f = (FloatLayer) layer;
        int n = layer.outputSize(inputSize);
        FMatrixRMaj x = FloatNumerics.narrow(layers.input(batch, 50));
        FMatrixRMaj z = new FMatrixRMaj(n, batch);
        FMatrixRMaj dZ = FloatNumerics.narrow(Numerics.signedUniform(n, batch, 0.5, 1.5, 51));
        FMatrixRMaj dX = new FMatrixRMaj(inputSize, batch);
        Step step = Step.training(new SplittableRandom(52));
        long[] measured = LayerChecks.steadyStateBytes(() -> {
            f.forward(x, z, step);
            f.backward(x, z, dZ, dX, step);
        });
        if (measured == null) {
            return "not measured: this JVM cannot measure the bytes a thread allocates";
        }
        long allocated = measured[0];
        if (allocated > LayerChecks.ALLOCATION_SLACK) {
            throw new CheckFailure(check + ": " + LayerChecks.MEASURED + " TRAINING float forward and backward passes with one "
                    + "reused step allocated " + allocated + " bytes (about " + Math.max(1, allocated / LayerChecks.MEASURED)
                    + " per pass) after " + LayerChecks.WARM_UP + " warm-up passes, in the best of " + LayerChecks.ROUNDS
                    + " rounds; allowed " + LayerChecks.ALLOCATION_SLACK + ". Keep scratch matrices in "
                    + "context.floatBuffer(index, rows, cols) and allocate the float parameters at the first floatParameters()");
        }
        return LayerChecks.MEASURED + " TRAINING float forward and backward passes with one reused step allocated "
                + Math.max(0, allocated) + " bytes (allowed " + LayerChecks.ALLOCATION_SLACK + "; round " + measured[1]
                + " of at most " + LayerChecks.ROUNDS + ")";
    }
}
