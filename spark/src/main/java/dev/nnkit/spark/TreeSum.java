package dev.nnkit.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums one {@code double[]} per partition the way {@code treeAggregate} does — partial sums of
 * {@code fanIn} partitions at a time on the executors, level after level, the last at most
 * {@code fanIn} on the driver — but in a fixed order: every partial sum adds its inputs in
 * partition order, whatever order Spark delivers them in. So for a fixed partitioning the result
 * is the same bits at every run and after any task retry ({@code RDD.reduce} and
 * {@code treeAggregate} merge results as tasks finish, which changes the rounding from run to run).
 *
 * <p>Bytes moved per sum of {@code n} values over {@code P} partitions: {@code 8 n} per partition
 * to its group, then {@code 8 n} per group upward: about {@code 8 n P (1 + 1/fanIn + ...)} in all,
 * at most {@code 8 n fanIn} into any one task or the driver.
 */
final class TreeSum {

    private TreeSum() {
    }

    /** The fan-in of a two-level tree over {@code partitions}: {@code ceil(sqrt(P))}, at least 2. */
    static int defaultFanIn(int partitions) {
        return Math.max(2, (int) Math.ceil(Math.sqrt(partitions)));
    }

    /**
     * The elementwise sum of the arrays, one per partition of {@code perPartition}, all of the
     * same length.
     */
    static double[] sum(JavaRDD<double[]> perPartition, int fanIn) {
        int n = perPartition.getNumPartitions();
        JavaPairRDD<Integer, double[]> level = perPartition
                .mapPartitionsWithIndex(TreeSum::keyed, true)
                .mapToPair(t -> t);
        while (n > fanIn) {
            int groups = (n + fanIn - 1) / fanIn;
            int fan = fanIn;
            level = level
                    .mapToPair(t -> new Tuple2<>(t._1 / fan, new Tuple2<>(t._1, t._2)))
                    .partitionBy(new Identity(groups))
                    .mapPartitionsWithIndex(TreeSum::ordered, true)
                    .mapToPair(t -> t);
            n = groups;
        }
        List<Tuple2<Integer, double[]>> top = new ArrayList<>(level.collect());
        top.sort(Comparator.comparing(Tuple2::_1));
        double[] total = null;
        for (Tuple2<Integer, double[]> t : top) {
            total = total == null ? t._2.clone() : add(total, t._2);
        }
        return total;
    }

    private static Iterator<Tuple2<Integer, double[]>> keyed(Integer partition, Iterator<double[]> values) {
        List<Tuple2<Integer, double[]>> out = new ArrayList<>(1);
        while (values.hasNext()) {
            out.add(new Tuple2<>(partition, values.next()));
        }
        if (out.size() != 1) {
            throw new IllegalStateException("partition " + partition + " produced " + out.size() + " arrays; one expected");
        }
        return out.iterator();
    }

    private static Iterator<Tuple2<Integer, double[]>> ordered(Integer group,
                                                              Iterator<Tuple2<Integer, Tuple2<Integer, double[]>>> in) {
        List<Tuple2<Integer, double[]>> parts = new ArrayList<>();
        while (in.hasNext()) {
            parts.add(in.next()._2);
        }
        if (parts.isEmpty()) {
            return Collections.emptyIterator();
        }
        parts.sort(Comparator.comparing(Tuple2::_1));
        double[] sum = parts.get(0)._2.clone();
        for (int k = 1; k < parts.size(); k++) {
            add(sum, parts.get(k)._2);
        }
        return Collections.singletonList(new Tuple2<>(group, sum)).iterator();
    }

    private static double[] add(double[] into, double[] values) {
        if (into.length != values.length) {
            throw new IllegalStateException("arrays of " + into.length + " and " + values.length + " values");
        }
        for (int k = 0; k < into.length; k++) {
            into[k] += values[k];
        }
        return into;
    }

    /** Sends key {@code g} to partition {@code g}. */
    private static final class Identity extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        Identity(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }
}
