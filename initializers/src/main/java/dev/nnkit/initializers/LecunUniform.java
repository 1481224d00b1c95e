package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;

/**
 * LeCun initialization, uniform variant (MATH §4), spec {@code lecun_uniform(scale=1)}: each entry of
 * {@code W (fanOut, fanIn)} is drawn from {@code U[-limit, limit)} with
 * {@code limit = sqrt(3 Var) = sqrt(3 scale / fanIn)}, so that {@code Var(w) = scale * 1 / fanIn};
 * mean 0.
 *
 * <p>This is the variance-preservation result of MATH §4: for {@code z = sum_i w_i x_i} with
 * independent zero-mean terms, {@code Var(z) = n Var(w) Var(x)}, so {@code Var(w) = 1/n} with
 * {@code n = fanIn} keeps {@code Var(z) = Var(x)} (fan-in 100: {@code Var = 0.01}).
 * {@code scale > 0}, default 1.
 */
public final class LecunUniform extends VarianceScaling {

    LecunUniform(double scale) {
        super("lecun_uniform", scale, 1.0, Fan.FAN_IN, Distribution.UNIFORM);
    }

    /** Registers {@code lecun_uniform(scale=1)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "lecun_uniform");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new LecunUniform(scale(arguments));
        }
    }
}
