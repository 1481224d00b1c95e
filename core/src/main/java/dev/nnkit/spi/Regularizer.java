package dev.nnkit.spi;

/**
 * A regularizer attached to one layer (MATH §7), chosen by spec string like every plugin
 * ({@code l2(lambda=0.7)}, {@code dropout(keep_prob=0.8)}), so swapping one for another is an edit
 * of one string. It has no methods of its own: what it does is said by the capabilities it
 * implements, one or both of
 * <ul>
 *   <li>{@link WeightPenalty}: a penalty on the layer's {@link Parameter.Role#WEIGHT} arrays added to
 *       the cost, and its gradient added to theirs (L2);</li>
 *   <li>{@link ActivationTransform}: a transform of the layer's activations {@code A[l]} during
 *       training, and its backward pass (inverted dropout).</li>
 * </ul>
 * The registry refuses a regularizer that implements neither. A fresh instance is made for every
 * layer it is attached to. {@code toString()} returns the spec string.
 */
public interface Regularizer {
}
