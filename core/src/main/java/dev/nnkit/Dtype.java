package dev.nnkit;

import java.util.Locale;

/**
 * The number type a network computes in: {@link #FLOAT64} (the default, and what the gradient
 * checker differentiates) or {@link #FLOAT32}, opt-in per network with
 * {@code Network.builder(n).dtype(Dtype.FLOAT32)} or {@code "dtype": "float32"} in a config
 * document. In a float32 network the training step's parameters, gradients, optimizer moments,
 * batch, {@code Z}, {@code A} and their gradients are float matrices and the products are
 * {@code sgemm}; see {@link Network} for what stays in double and why.
 */
public enum Dtype {
    /** IEEE 754 binary64: unit roundoff {@code 2^-53}. */
    FLOAT64("float64"),
    /** IEEE 754 binary32: unit roundoff {@code 2^-24}, half the memory traffic, twice the SIMD lanes. */
    FLOAT32("float32");

    private final String spec;

    Dtype(String spec) {
        this.spec = spec;
    }

    /** The name in config documents and on command lines: {@code float64} or {@code float32}. */
    public String spec() {
        return spec;
    }

    /**
     * The dtype named {@code name} ({@code float64}, {@code float32}; also {@code fp64},
     * {@code fp32}, {@code f64}, {@code f32}, {@code double}, {@code float}), case-insensitive.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Dtype parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "float64", "fp64", "f64", "double" -> FLOAT64;
            case "float32", "fp32", "f32", "float" -> FLOAT32;
            default -> throw new IllegalArgumentException("dtype '" + name + "' is not known; use float64 (the default) or float32");
        };
    }

    @Override
    public String toString() {
        return spec;
    }
}
