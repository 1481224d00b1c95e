package dev.nnkit.examples;

import dev.nnkit.Dtype;
import picocli.CommandLine.Option;

/**
 * {@code --dtype}: the number type the command's networks compute in, {@code float64} (the
 * default) or {@code float32} ({@link Dtype}). In a float32 network the training step, the
 * predictions, the costs and the accuracies run in float; the model file records the dtype, so
 * {@code predict} and {@code evaluate} need no flag.
 *
 * <p>The value is kept as the user typed it and read with {@link #dtype()} when the command starts
 * its work, so that a bad one is refused like any other bad setting: one line naming the value and
 * the choices, exit code 2 (a value refused while the command line is parsed would print the whole
 * usage after it).
 */
final class DtypeOption {

    static final String NAME = "--dtype";

    /** As typed; null when the option was not given. */
    @Option(names = NAME, paramLabel = "<dtype>",
            description = "Number type of the network: float64 or float32 (float32: parameters, batches and products in "
                    + "float, half the memory traffic; the model file records it) (default: float64).")
    String name;

    /**
     * The dtype {@code --dtype} names, {@link Dtype#FLOAT64} when it was not given.
     *
     * @throws IllegalArgumentException {@code --dtype: dtype 'float16' is not known; use float64 (the default) or float32}
     */
    Dtype dtype() {
        if (name == null) {
            return Dtype.FLOAT64;
        }
        try {
            return Dtype.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code --dtype} was given (a config file's own dtype then gives way to it). */
    boolean given() {
        return name != null;
    }

    /** {@code ", float32"} for a float32 network and nothing for float64 (the default), for a run's header line. */
    static String note(Dtype dtype) {
        return dtype == Dtype.FLOAT64 ? "" : ", " + dtype;
    }
}
