#!/usr/bin/env bash
# Runs a main class of nnkit-spark on this machine (Spark in local mode), e.g.
#   spark/run-example.sh                                   # Fashion-MNIST, data-parallel on local[*]
#   spark/run-example.sh --epochs 5 --partitions 4
#   MAIN=dev.nnkit.spark.examples.SparkScale spark/run-example.sh
# Builds the module through the reactor (no install) and writes its class path, then runs java
# with the JVM options Spark needs on Java 17 (spark.java.options in spark/pom.xml).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="$root/spark/target/classpath.txt"
mvn -B -q ${MVN_OFFLINE:-} package dependency:build-classpath -pl spark -am -DskipTests \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
opens="$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' spark/pom.xml)"
exec java -Xmx"${HEAP:-6g}" $opens -Dlog4j2.configurationFile="$root/spark/conf/log4j2-example.properties" -cp "spark/target/classes:$(cat "$cp_file")" \
    "${MAIN:-dev.nnkit.spark.examples.FashionMnistOnSpark}" "$@"
