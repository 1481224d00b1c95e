#!/usr/bin/env bash
# Compares two builds of the benchmarks jar on the throughput harness, alternating them in every
# round so that both see the same machine state: OLD then NEW, the MLP workload (2 timed epochs)
# and the tiny one (10 timed repetitions) per round. Prints each run's RESULT line and, at the
# end, the median rate of each build and the median and range of the per-round NEW/OLD ratios.
#
#   benchmarks/ab.sh OLD.jar NEW.jar [rounds=3] [workloads="mlp tiny"]
#
# Build OLD.jar from an earlier commit (git worktree add /tmp/old <commit>; cd /tmp/old;
# mvn -B -q -DskipTests install; cp benchmarks/target/benchmarks.jar /tmp/old.jar).
# JAVA_OPTS defaults to -Xmx2g; add --add-modules jdk.incubator.vector for the Vector API path.
# DTYPE=float runs both builds' networks in fp32 (DTYPE=double: fp64, as without it; both need a
# Throughput that takes the dtype argument, i.e. a build with float32).
set -euo pipefail
old=${1:?old jar}; new=${2:?new jar}; rounds=${3:-3}; workloads=${4:-mlp tiny}
opts=${JAVA_OPTS:--Xmx2g}
dtype=()
case ${DTYPE:-} in
  "") ;;
  double | float) dtype=("$DTYPE") ;;
  *) echo "ab.sh: DTYPE=$DTYPE; use double or float" >&2; exit 2 ;;
esac
log=$(mktemp)
for r in $(seq 1 "$rounds"); do
  for w in $workloads; do
    count=2; [ "$w" = tiny ] && count=10
    for v in old new; do
      jar=$old; [ "$v" = new ] && jar=$new
      # shellcheck disable=SC2086
      line=$(java $opts -cp "$jar" dev.nnkit.benchmarks.Throughput "$w" "${dtype[@]}" "$count" 2>/dev/null | grep '^RESULT|')
      echo "round $r $v $w $line" | tee -a "$log"
    done
  done
done
python3 - "$log" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    words = line.split()
    rates.setdefault((words[3], int(words[1])), {})[words[2]] = float(line.split('|')[6])
for workload in sorted({w for w, _ in rates}):
    rounds = [v for (w, _), v in sorted(rates.items()) if w == workload]
    ratios = [v['new'] / v['old'] for v in rounds]
    print(f"{workload}: old median {statistics.median(v['old'] for v in rounds):,.0f}, "
          f"new median {statistics.median(v['new'] for v in rounds):,.0f}, new/old per round "
          f"{', '.join(f'{r:.3f}' for r in ratios)}; median {statistics.median(ratios):.3f}, "
          f"min {min(ratios):.3f}")
PY
