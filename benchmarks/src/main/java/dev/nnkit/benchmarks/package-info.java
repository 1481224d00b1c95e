/**
 * nnkit's benchmarks: JMH microbenchmarks ({@link dev.nnkit.benchmarks.GemmBenchmark},
 * {@link dev.nnkit.benchmarks.TrainStepBenchmark}, {@link dev.nnkit.benchmarks.StepPartsBenchmark},
 * {@link dev.nnkit.benchmarks.ActivationBenchmark}) and the throughput harness
 * {@link dev.nnkit.benchmarks.Throughput}, which runs the two workloads of the Deeplearning4j
 * baseline ({@code ../shared/bench/dl4j-baseline}) through nnkit's public API and prints the same
 * {@code RESULT|} lines. Not a library: nothing here is used by nnkit itself.
 */
package dev.nnkit.benchmarks;
