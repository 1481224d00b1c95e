package dev.nnkit.spi;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Fills a weight matrix with its starting values (MATH §4).
 *
 * <p>A weight matrix {@code W[l]} has shape {@code (n[l], n[l-1])}: its number of columns is the
 * fan-in {@code n[l-1]} and its number of rows the fan-out {@code n[l]}. The layer decides which of
 * its arrays the configured initializer fills ({@link Layer#initialize}): core's dense layer gives
 * it {@code W} and starts its biases at zero, because biases do not cause symmetry.
 *
 * <p>Contract for implementors: the values depend only on the shape, the arguments of the spec
 * and the random numbers drawn from the given generator, so a seeded generator gives identical
 * matrices; no global random source is used. {@link #variance} and {@link #mean} declare the
 * distribution the entries are drawn from, so tools can compare them with what the initializer
 * really produces and with the signal statistics of a network. {@code toString()} returns the
 * spec string, e.g. {@code he_normal} or {@code xavier_uniform(scale=0.5)}.
 */
public interface Initializer {

    /**
     * Overwrites every entry of {@code w}.
     *
     * @param w      the weight matrix, {@code (fanOut, fanIn)}. Modified.
     * @param random the source of randomness; the only one an implementation may use.
     */
    void initialize(DMatrixRMaj w, RandomGenerator random);

    /**
     * The variance of one entry, as the initializer's formula gives it, e.g. {@code 2 / fanIn} for
     * He; {@code 0} for a constant initializer.
     *
     * @param fanIn  number of inputs of the layer, {@code n[l-1] >= 1}
     * @param fanOut number of units of the layer, {@code n[l] >= 1}
     */
    double variance(int fanIn, int fanOut);

    /** The mean of one entry; {@code 0} for every zero-centred distribution. */
    default double mean() {
        return 0.0;
    }
}
