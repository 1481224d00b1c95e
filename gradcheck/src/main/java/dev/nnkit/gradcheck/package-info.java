/**
 * The gradient checker of MATH §6: {@link dev.nnkit.gradcheck.GradientChecker} compares the
 * back-propagated gradient of every parameter of a {@link dev.nnkit.Network} (or of a plain
 * function) with the two-sided difference {@code (J(theta + eps) - J(theta - eps)) / 2 eps} of the
 * full cost, regularization penalties included, and returns a
 * {@link dev.nnkit.gradcheck.GradientCheckReport}: relative errors per entry and per parameter
 * array, the vector form, the verdict band, the worst entries by layer, parameter and index, the
 * entries whose perturbation crosses a kink of an activation, and the active activation transforms
 * (dropout) that the {@code CHECKING} pass leaves out. {@code J} is
 * {@code network.cost(data, Mode.CHECKING)}: the full-batch arithmetic of a training step, with
 * batch statistics and nothing random.
 *
 * <pre>{@code
 * GradientCheckReport report = GradientChecker.defaults().check(network, data);
 * assert report.verdict().passes() : report;
 * }</pre>
 */
package dev.nnkit.gradcheck;
