package dev.nnkit.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

/**
 * What happens to raw examples before and after a network sees them: the feature names in input
 * order, an optional {@link Standardizer}, the task, and for classification the class names in
 * output order. A model file saves it with the network (format version 3), so that a saved model
 * predicts from the same raw features it was trained on and answers with class names.
 *
 * <pre>{@code
 * Standardizer scale = Standardizer.fit(train.features());
 * Pipeline pipeline = Pipeline.classification(List.of("x", "y"), scale, "color", List.of("red", "blue"));
 * network fitted to scale.apply(train) ...
 * ModelFile.save(network, pipeline, Path.of("moons.nnkit"));
 * Pipeline.Predictions p = ModelFile.load(Path.of("moons.nnkit")).predict(rawFeatures);
 * p.label(0);   // "red"
 * }</pre>
 *
 * <p><b>Classification</b> with {@code k} classes fits a network with {@code k} outputs (one per
 * class, e.g. softmax: output row {@code c} is the probability of {@code classes().get(c)}) or,
 * for {@code k = 2}, one output (sigmoid: the probability of the second class; the first has
 * {@code 1 - a}). The predicted class is the most probable one (the first on a tie).
 * <b>Regression</b> fits a network with one output per target; the outputs are the predictions.
 *
 * <p>Immutable and thread-safe.
 */
public final class Pipeline {

    /** The kind of problem a model solves. */
    public enum Task {
        /** The outputs are class probabilities; labels are class names. */
        CLASSIFICATION,
        /** The outputs are the predicted values of the targets. */
        REGRESSION
    }

    private final List<String> featureNames;
    private final Standardizer standardizer;
    private final Task task;
    private final List<String> labelNames;
    private final List<String> classes;

    private Pipeline(List<String> featureNames, Standardizer standardizer, Task task, List<String> labelNames,
                     List<String> classes) {
        this.featureNames = names("feature", featureNames, 1);
        this.standardizer = standardizer;
        this.task = Objects.requireNonNull(task, "task");
        this.labelNames = names("label", labelNames, 1);
        this.classes = task == Task.CLASSIFICATION ? names("class", classes, 2) : List.of();
        if (standardizer != null && standardizer.featureCount() != this.featureNames.size()) {
            throw new IllegalArgumentException("the standardizer was fitted to " + standardizer.featureCount()
                    + " features but the pipeline names " + this.featureNames.size() + ": " + this.featureNames);
        }
        if (task == Task.CLASSIFICATION && this.labelNames.size() != 1) {
            throw new IllegalArgumentException("a classification pipeline has one label column; got " + this.labelNames);
        }
    }

    /**
     * A classification pipeline.
     *
     * @param featureNames the features in input order, at least one, distinct and not blank
     * @param standardizer applied to raw features before the network, or {@code null} for none
     * @param label        the name of the label (e.g. the CSV column)
     * @param classes      the class names in output order, at least 2, distinct and not blank
     * @throws IllegalArgumentException when a rule above is broken
     */
    public static Pipeline classification(List<String> featureNames, Standardizer standardizer, String label,
                                          List<String> classes) {
        return new Pipeline(featureNames, standardizer, Task.CLASSIFICATION, List.of(Objects.requireNonNull(label, "label")),
                Objects.requireNonNull(classes, "classes"));
    }

    /**
     * A regression pipeline.
     *
     * @param featureNames the features in input order, at least one, distinct and not blank
     * @param standardizer applied to raw features before the network, or {@code null} for none
     * @param targets      the names of the predicted values in output order, at least one
     * @throws IllegalArgumentException when a rule above is broken
     */
    public static Pipeline regression(List<String> featureNames, Standardizer standardizer, List<String> targets) {
        return new Pipeline(featureNames, standardizer, Task.REGRESSION, targets, List.of());
    }

    private static List<String> names(String what, List<String> names, int min) {
        Objects.requireNonNull(names, what + " names");
        if (names.size() < min) {
            throw new IllegalArgumentException("a pipeline needs at least " + min + " " + what + " name(s); got " + names);
        }
        HashSet<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a " + what + " name is blank or missing in " + names);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(what + " name '" + name + "' appears twice in " + names);
            }
        }
        return List.copyOf(names);
    }

    /** The features in input order: row {@code i} of the raw features is {@code featureNames().get(i)}. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The standardizer applied to raw features, if any. */
    public Optional<Standardizer> standardizer() {
        return Optional.ofNullable(standardizer);
    }

    /** Classification or regression. */
    public Task task() {
        return task;
    }

    /** The label column (classification) or the targets (regression), in output order. */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The class names in output order; empty for regression. */
    public List<String> classes() {
        return classes;
    }

    /**
     * Checks that a network of {@code inputs} inputs and {@code outputs} outputs fits this
     * pipeline: {@code inputs} features, and one output per class (or 1 for 2 classes) or per target.
     *
     * @throws IllegalArgumentException naming both shapes when it does not
     */
    public void requireFits(int inputs, int outputs) {
        if (inputs != featureNames.size()) {
            throw new IllegalArgumentException("the network takes " + inputs + " features but the pipeline has "
                    + featureNames.size() + ": " + featureNames);
        }
        boolean fits = task == Task.REGRESSION ? outputs == labelNames.size()
                : outputs == classes.size() || outputs == 1 && classes.size() == 2;
        if (!fits) {
            throw new IllegalArgumentException("the network has " + outputs + " outputs but the pipeline's "
                    + (task == Task.REGRESSION ? "targets are " + labelNames : classes.size() + " classes " + classes
                    + " need " + classes.size() + (classes.size() == 2 ? " or 1" : "")));
        }
    }

    /**
     * The network's input for raw features: standardized when this pipeline has a standardizer.
     *
     * @param raw {@code (featureNames().size(), m)}, every entry finite. Not modified.
     * @return a new matrix of the same shape
     * @throws IllegalArgumentException when the number of rows differs or an entry is not finite
     */
    public DMatrixRMaj transform(DMatrixRMaj raw) {
        if (raw.numRows != featureNames.size()) {
            throw new IllegalArgumentException("the raw features have " + raw.numRows + " rows but the model takes "
                    + featureNames.size() + " features: " + featureNames);
        }
        for (int k = 0; k < raw.getNumElements(); k++) {
            if (!Double.isFinite(raw.data[k])) {
                throw new IllegalArgumentException("feature " + featureNames.get(k / raw.numCols) + " of example "
                        + (k % raw.numCols) + " is " + raw.data[k] + "; every feature must be a finite number");
            }
        }
        return standardizer == null ? raw.copy() : standardizer.apply(raw);
    }

    /**
     * The predictions for the network's outputs.
     *
     * @param outputs the network's output {@code A[L]}, {@code (n[L], m)}. Not modified.
     * @throws IllegalArgumentException when its number of rows does not fit this pipeline
     */
    public Predictions decode(DMatrixRMaj outputs) {
        requireFits(featureNames.size(), outputs.numRows);
        int m = outputs.numCols;
        if (task == Task.REGRESSION) {
            return new Predictions(this, outputs.copy(), null, null);
        }
        int k = classes.size();
        DMatrixRMaj probabilities = new DMatrixRMaj(k, m);
        if (outputs.numRows == 1) {
            for (int j = 0; j < m; j++) {
                double a = outputs.data[j];
                probabilities.data[j] = 1 - a;
                probabilities.data[m + j] = a;
            }
        } else {
            probabilities.setTo(outputs);
        }
        int[] predicted = new int[m];
        for (int j = 0; j < m; j++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probabilities.data[c * m + j] > probabilities.data[best * m + j]) {
                    best = c;
                }
            }
            predicted[j] = best;
        }
        return new Predictions(this, outputs.copy(), probabilities, predicted);
    }

    /**
     * What a model predicts for {@code m} examples.
     *
     * <p>For classification {@link #classIndex(int)} and {@link #label(int)} name the predicted
     * class and {@link #probabilities()} holds one row per class; for regression {@link #values()}
     * holds one row per target.
     */
    public static final class Predictions {
        private final Pipeline pipeline;
        private final DMatrixRMaj outputs;
        private final DMatrixRMaj probabilities;
        private final int[] predicted;

        Predictions(Pipeline pipeline, DMatrixRMaj outputs, DMatrixRMaj probabilities, int[] predicted) {
            this.pipeline = pipeline;
            this.outputs = outputs;
            this.probabilities = probabilities;
            this.predicted = predicted;
        }

        /** The pipeline that decoded them. */
        public Pipeline pipeline() {
            return pipeline;
        }

        /** The number of examples, {@code m}. */
        public int size() {
            return outputs.numCols;
        }

        /** The network's outputs {@code A[L]}, {@code (n[L], m)} (a copy). */
        public DMatrixRMaj outputs() {
            return outputs.copy();
        }

        /** Classification: {@code (classes, m)}, row {@code c} the probability of class {@code c} (a copy). */
        public DMatrixRMaj probabilities() {
            requireClassification();
            return probabilities.copy();
        }

        /** Regression: the predicted values, {@code (targets, m)} (a copy). */
        public DMatrixRMaj values() {
            if (pipeline.task != Task.REGRESSION) {
                throw new IllegalStateException("a classification model predicts classes; read classIndex, label or probabilities");
            }
            return outputs.copy();
        }

        /** Classification: the index in {@link Pipeline#classes()} of the class predicted for example {@code j}. */
        public int classIndex(int j) {
            requireClassification();
            return predicted[j];
        }

        /** Classification: the name of the class predicted for example {@code j}. */
        public String label(int j) {
            return pipeline.classes.get(classIndex(j));
        }

        /** Classification: every example's predicted class index. */
        public List<Integer> classIndices() {
            requireClassification();
            List<Integer> out = new ArrayList<>(predicted.length);
            for (int c : predicted) {
                out.add(c);
            }
            return out;
        }

        private void requireClassification() {
            if (pipeline.task != Task.CLASSIFICATION) {
                throw new IllegalStateException("a regression model predicts values, not classes; read values()");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pipeline p && featureNames.equals(p.featureNames) && Objects.equals(standardizer, p.standardizer)
                && task == p.task && labelNames.equals(p.labelNames) && classes.equals(p.classes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureNames, standardizer, task, labelNames, classes);
    }

    @Override
    public String toString() {
        return "Pipeline(" + task.name().toLowerCase(java.util.Locale.ROOT) + ", features " + featureNames
                + (standardizer == null ? "" : ", standardized") + ", " + (task == Task.CLASSIFICATION ? "label "
                + labelNames.get(0) + ", classes " + classes : "targets " + labelNames) + ")";
    }
}
