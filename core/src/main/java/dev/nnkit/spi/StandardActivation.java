package dev.nnkit.spi;

/**
 * The capability of an {@link Activation} that computes a {@link StandardFunction} exactly, so that
 * a {@link FusedLoss} for that function may use its fused form ({@code dZ = A - Y}). An activation
 * that does not implement it still works with every loss, through the general path.
 */
public interface StandardActivation extends Activation {

    /** The function this activation computes. */
    StandardFunction function();
}
