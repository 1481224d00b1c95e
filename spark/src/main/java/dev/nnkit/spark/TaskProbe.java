package dev.nnkit.spark;

import org.apache.spark.api.java.function.VoidFunction2;

/**
 * Called by every training task before it computes, with the partition and the global step or
 * round: a seam for tests that make a task fail (e.g. on its first attempt) to show that Spark's
 * retry gives the same result. It is one of Spark's function types, which Spark ships with the
 * task as it ships every closure.
 */
@FunctionalInterface
interface TaskProbe extends VoidFunction2<Integer, Long> {

    /** Does nothing. */
    TaskProbe NONE = (partition, step) -> { };
}
