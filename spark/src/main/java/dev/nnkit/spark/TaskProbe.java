package dev.nnkit.spark;

import java.io.Serializable;

/**
 * Called by every training task before it computes, with the partition and the global step or
 * round: a seam for tests that make a task fail (e.g. on its first attempt) to show that Spark's
 * retry gives the same result.
 */
@FunctionalInterface
interface TaskProbe extends Serializable {

    /** Does nothing. */
    TaskProbe NONE = (partition, step) -> { };

    void beforeTask(int partition, long step);
}
