package dev.nnkit.spi;

/**
 * Mathematical functions that losses may have an exact fused form with (see {@link FusedLoss}).
 * An activation declares that it computes one by implementing {@link StandardActivation}; the
 * declaration is a promise about its values, which the plugin kit checks.
 */
public enum StandardFunction {
    /** The logistic sigmoid {@code 1 / (1 + e^-z)}, element-wise. */
    LOGISTIC,
    /** Softmax {@code e^z_i / sum_j e^z_j}, per column. */
    SOFTMAX
}
