package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;

/**
 * He, Zhang, Ren &amp; Sun (2015), "Delving deep into rectifiers", uniform variant (MATH §4), spec
 * {@code he_uniform(scale=1)}: each entry of {@code W (fanOut, fanIn)} is drawn from
 * {@code U[-limit, limit)} with {@code limit = sqrt(3 Var) = sqrt(6 scale / fanIn)}, so that
 * {@code Var(w) = scale * 2 / fanIn}; mean 0.
 *
 * <p>The factor 2 makes up for ReLU zeroing half of its inputs, so the variance of the signal is
 * kept through ReLU and leaky ReLU layers. Example: fan-in 100 gives {@code Var = 0.02},
 * {@code std = 0.141}. {@code scale > 0}, default 1 (the published formula).
 */
public final class HeUniform extends VarianceScaling {

    HeUniform(double scale) {
        super("he_uniform", scale, 2.0, Fan.FAN_IN, Distribution.UNIFORM);
    }

    /** Registers {@code he_uniform(scale=1)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "he_uniform");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new HeUniform(scale(arguments));
        }
    }
}
