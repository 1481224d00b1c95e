package dev.nnkit.diagnostics;

/**
 * How the signal and the gradient look at one layer for one batch (MATH §5): the numbers that show
 * vanishing or exploding signal through depth, and how far the chosen initializer keeps the
 * variance where its formula says it should be.
 *
 * <p>Variances are population variances over all {@code n[l] * m} entries of the matrix. The four
 * weight-related components are NaN for a layer without a {@code WEIGHT} parameter (e.g. batch
 * norm), which the formula does not describe.
 *
 * @param layer                  {@code l}, from 1
 * @param units                  {@code n[l]}
 * @param activation             the activation's spec
 * @param zVariance              {@code Var(Z[l])}
 * @param aVariance              {@code Var(A[l])}
 * @param predictedZVariance     {@code n[l-1] * Var(w) * mean(A[l-1]^2)} with {@code Var(w)} the
 *                               initializer's declared variance: what the variance-preservation
 *                               formula {@code Var(z) = n Var(w) E[x^2]} predicts for freshly
 *                               initialized weights and zero biases
 * @param weightVariance         the empirical variance of the entries of {@code W[l]}
 * @param declaredWeightVariance {@code Var(w)} as the initializer's formula gives it
 * @param gradientNorm           {@code ||dW[l]||_F}, the Frobenius norm of the weight gradient
 * @param inactiveFraction       the fraction of entries of {@code Z[l]} where the activation's slope
 *                               {@code |g'(z)|} is below {@link Diagnostics#INACTIVE_SLOPE}: a dead
 *                               ReLU or a saturated sigmoid/tanh (meaningful for element-wise activations)
 * @param deadUnitFraction       the fraction of units that are inactive on every example of the batch
 */
public record LayerStatistics(int layer, int units, String activation, double zVariance, double aVariance,
                              double predictedZVariance, double weightVariance, double declaredWeightVariance,
                              double gradientNorm, double inactiveFraction, double deadUnitFraction) {
}
