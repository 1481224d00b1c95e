package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;

/**
 * LeCun initialization, normal variant (MATH §4), spec {@code lecun_normal(scale=1)}: each entry of
 * {@code W (fanOut, fanIn)} is drawn from {@code N(0, Var)} (not truncated), with
 * {@code Var(w) = scale * 1 / fanIn}; mean 0.
 *
 * <p>This is the variance-preservation result of MATH §4: for {@code z = sum_i w_i x_i} with
 * independent zero-mean terms, {@code Var(z) = n Var(w) Var(x)}, so {@code Var(w) = 1/n} with
 * {@code n = fanIn} keeps {@code Var(z) = Var(x)} (fan-in 100: {@code Var = 0.01}).
 * {@code scale > 0}, default 1.
 */
public final class LecunNormal extends VarianceScaling {

    LecunNormal(double scale) {
        super("lecun_normal", scale, 1.0, Fan.FAN_IN, Distribution.NORMAL);
    }

    /** Registers {@code lecun_normal(scale=1)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "lecun_normal");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new LecunNormal(scale(arguments));
        }
    }
}
