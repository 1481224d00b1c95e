/**
 * The learning-rate schedules shipped with core, one small class per schedule with its formula in
 * the class documentation, each registered through the same {@link dev.nnkit.spi.PluginProvider}
 * service as any third-party plugin and chosen by spec string next to the optimizer:
 * <table>
 *   <caption>built-in schedules ({@code t = epoch - 1}, the completed epochs)</caption>
 *   <tr><th>spec</th><th>rate of a step</th></tr>
 *   <tr><td>{@code constant}</td><td>{@code alpha0} (the default)</td></tr>
 *   <tr><td>{@code step_decay(every, factor=0.1)}</td><td>{@code alpha0 * factor^floor(t / every)}</td></tr>
 *   <tr><td>{@code exponential(rate)}</td><td>{@code alpha0 * rate^t}</td></tr>
 *   <tr><td>{@code inverse_time(decay_rate, interval=1)}</td><td>{@code alpha0 / (1 + decay_rate * floor(t / interval))}</td></tr>
 *   <tr><td>{@code cosine(epochs, min_factor=0)}</td><td>{@code alpha0 * (1 - (1 - min_factor) (1 - cos(pi p)) / 2)},
 *       {@code p = min(1, (step - 1) / (epochs * stepsPerEpoch))}</td></tr>
 *   <tr><td>{@code warmup(steps, then=constant)}</td><td>{@code min(1, step / steps)} times the rate of {@code then}</td></tr>
 * </table>
 * Every schedule but {@code warmup} starts at {@code alpha0}. Not exported: applications reach the
 * schedules by name through the registry; a schedule of your own implements
 * {@link dev.nnkit.spi.Schedule} in your module the same way.
 */
package dev.nnkit.schedules;
