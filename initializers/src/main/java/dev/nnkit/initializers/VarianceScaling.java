package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginSpec;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * The logic shared by the fan-aware initializers (Xavier, He, LeCun; normal and uniform):
 * {@code Var(w) = scale * numerator / fan}, where {@code fan} is the fan-in {@code numCols} or the
 * sum of fan-in and fan-out {@code numCols + numRows} of {@code W (fanOut, fanIn)}. The normal
 * variant draws {@code std * random.nextGaussian()} with {@code std = sqrt(Var)} (not truncated);
 * the uniform variant draws from {@code U[-limit, limit)} with {@code limit = sqrt(3 Var)}, whose
 * variance {@code limit^2 / 3} is the same {@code Var}.
 */
abstract class VarianceScaling implements Initializer {

    /** Which fan divides the variance. */
    enum Fan {
        /** {@code fanIn}: LeCun, He. */
        FAN_IN,
        /** {@code fanIn + fanOut}: Glorot &amp; Bengio. */
        FAN_IN_PLUS_FAN_OUT
    }

    /** The shape of the distribution the entries are drawn from. */
    enum Distribution {
        NORMAL,
        UNIFORM
    }

    private final String name;
    private final double scale;
    private final double numerator;
    private final Fan fan;
    private final Distribution distribution;

    VarianceScaling(String name, double scale, double numerator, Fan fan, Distribution distribution) {
        this.name = name;
        this.scale = scale;
        this.numerator = numerator;
        this.fan = fan;
        this.distribution = distribution;
    }

    @Override
    public final void initialize(DMatrixRMaj w, RandomGenerator random) {
        if (w.getNumElements() == 0) {
            return;
        }
        double variance = variance(w.numCols, w.numRows);
        if (distribution == Distribution.NORMAL) {
            Initializers.fillNormal(w, random, Math.sqrt(variance));
        } else {
            Initializers.fillUniform(w, random, Math.sqrt(3.0 * variance));
        }
    }

    @Override
    public final double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        double divisor = fan == Fan.FAN_IN ? fanIn : (double) fanIn + fanOut;
        return scale * numerator / divisor;
    }

    @Override
    public final String toString() {
        return PluginSpec.of(name).with("scale", scale).toString();
    }

    /** The {@code scale} argument: {@code > 0}, default 1. */
    static double scale(Arguments arguments) {
        return Initializers.positive(arguments, "scale", 1.0);
    }
}
