package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;

/** Argument rules shared by the built-in optimizers. */
final class Optimizers {

    private Optimizers() {
    }

    static double learningRate(Arguments arguments, double defaultValue) {
        double value = arguments.getDouble("learning_rate", defaultValue);
        if (value <= 0.0) {
            throw arguments.invalid("learning_rate", value, "> 0, e.g. learning_rate=0.01");
        }
        return value;
    }

    static double decay(Arguments arguments, String key, double defaultValue) {
        double value = arguments.getDouble(key, defaultValue);
        if (value < 0.0 || value >= 1.0) {
            throw arguments.invalid(key, value, "in [0, 1)");
        }
        return value;
    }

    static double epsilon(Arguments arguments) {
        double value = arguments.getDouble("epsilon", 1e-8);
        if (value <= 0.0) {
            throw arguments.invalid("epsilon", value, "> 0");
        }
        return value;
    }
}
