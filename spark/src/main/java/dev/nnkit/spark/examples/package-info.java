/**
 * Runnable mains of the Spark module: Fashion-MNIST trained data-parallel beside single-machine
 * training ({@link dev.nnkit.spark.examples.FashionMnistOnSpark}) and the scale measurements with
 * the cost model ({@link dev.nnkit.spark.examples.SparkScale}). Run with {@code spark/run-example.sh}.
 */
package dev.nnkit.spark.examples;
