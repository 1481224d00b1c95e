/**
 * nnkit on Apache Spark: synchronous data-parallel training and parameter averaging of nnkit
 * networks on Spark Datasets ({@link dev.nnkit.spark.SparkTrainer}), hyperparameter sweeps as
 * Spark jobs ({@link dev.nnkit.spark.SparkSweep}), and a Spark ML probabilistic classifier
 * ({@link dev.nnkit.spark.NnkitClassifier}, {@link dev.nnkit.spark.NnkitClassificationModel}).
 * Parameters travel between the driver and the executors as {@code double[]}; nnkit objects stay
 * on the JVM that made them. Runs on the class path (Spark has no module descriptors).
 */
package dev.nnkit.spark;
