package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;

/**
 * Glorot &amp; Bengio (2010), "Understanding the difficulty of training deep feedforward neural
 * networks", uniform variant (MATH §4), spec {@code xavier_uniform(scale=1)}: each entry of
 * {@code W (fanOut, fanIn)} is drawn from {@code U[-limit, limit)} with
 * {@code limit = sqrt(3 Var) = sqrt(6 scale / (fanIn + fanOut))}, so that
 * {@code Var(w) = limit^2 / 3 = scale * 2 / (fanIn + fanOut)}; mean 0.
 *
 * <p>Default {@code scale=1} is the published formula. The lecture notes write
 * {@code Var(w) = 1/(fanIn + fanOut)} instead; {@code scale=0.5} reproduces it (fan-in 100,
 * fan-out 50: {@code 1/150 = 0.0067}, against {@code 2/150 = 0.0133} by default).
 * {@code scale > 0}. Suited to tanh and sigmoid layers.
 */
public final class XavierUniform extends VarianceScaling {

    XavierUniform(double scale) {
        super("xavier_uniform", scale, 2.0, Fan.FAN_IN_PLUS_FAN_OUT, Distribution.UNIFORM);
    }

    /** Registers {@code xavier_uniform(scale=1)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "xavier_uniform");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new XavierUniform(scale(arguments));
        }
    }
}
