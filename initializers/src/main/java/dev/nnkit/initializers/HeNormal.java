package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;

/**
 * He, Zhang, Ren &amp; Sun (2015), "Delving deep into rectifiers", normal variant (MATH §4), spec
 * {@code he_normal(scale=1)}: each entry of {@code W (fanOut, fanIn)} is drawn from
 * {@code N(0, Var)} (not truncated), with {@code Var(w) = scale * 2 / fanIn}; mean 0.
 *
 * <p>The factor 2 makes up for ReLU zeroing half of its inputs, so the variance of the signal is
 * kept through ReLU and leaky ReLU layers. Example: fan-in 100 gives {@code Var = 0.02},
 * {@code std = 0.141}. {@code scale > 0}, default 1 (the published formula).
 */
public final class HeNormal extends VarianceScaling {

    HeNormal(double scale) {
        super("he_normal", scale, 2.0, Fan.FAN_IN, Distribution.NORMAL);
    }

    /** Registers {@code he_normal(scale=1)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "he_normal");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new HeNormal(scale(arguments));
        }
    }
}
