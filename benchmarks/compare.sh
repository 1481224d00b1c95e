#!/usr/bin/env bash
# nnkit against the Deeplearning4j baseline, side by side on the same machine, alternately.
#
#   benchmarks/compare.sh [rounds]      both workloads, rounds (default 3) of alternating runs, then
#                                       the ratios nnkit/DL4J: median, min and max over the rounds
#   benchmarks/compare.sh sweep         nnkit only: MLP throughput vs batch size and vs hidden width
#   benchmarks/compare.sh summary DIR   the ratios and tables again from DIR/results.tsv of an earlier run
#
# Each round runs, one after the other (nnkit and DL4J interleaved so that background load hits
# both evenly), the configurations a user of nnkit can be in (all fp64; fp32 rows wait for float32):
#   nnkit-openblas      the bundled backend (nnkit-compute-openblas on the class path, its default:
#                       1 thread): what a library consumer or `java -jar ... fashion` gets on a fresh machine
#   DL4J THREADS=1      (its best: OMP_NUM_THREADS=1)
#   nnkit-system-blas   -Dnnkit.compute=system_blas: Debian's OpenBLAS (libopenblas0-pthread), if installed
#   DL4J THREADS=default
#   nnkit-vector        --add-modules jdk.incubator.vector -Dnnkit.compute=vector: the Vector API only
#   nnkit-ejml          -Dnnkit.compute=ejml: what nnkit-core alone gives without a JVM flag
#   nnkit-openblas-2threads  the bundled backend on 2 threads: -Dnnkit.compute=openblas(threads=2)
# then, with FASHION=1, Fashion-MNIST end to end with the example's settings (load, train until the
# test accuracy reaches 0.88, evaluate): `java -jar examples/target/nnkit-examples.jar fashion`,
# wall time and peak RSS (nnkit only: the baseline has no such workload).
# Every nnkit run is `java -Xmx2g -cp target/benchmarks.jar dev.nnkit.benchmarks.Throughput <workload>`
# (the baseline's run.sh also uses -Xmx2g); every DL4J run is `THREADS=... ../shared/bench/dl4j-baseline/run.sh`
# with `mlp float` (its best dtype) or `tiny double` (as in its README). Peak RSS of every run comes
# from /usr/bin/time -f %M; the 1-minute load average before each run is recorded too. The MLP rates
# are also given in GFLOP/s (1.007 MFLOP per sample for forward + backward + update) and as a share
# of the machine's fp64 FMA peak (PEAK_GFLOPS; default 164 on AVX-512, 42 on AVX2: 2 cores).
#
# Environment:
#   MLP_EPOCHS=2        timed epochs per MLP run (after the one warm-up epoch both harnesses do)
#   TINY_REPS=1         timed repetitions of 10,000 iterations per DL4J tiny run (after one warm-up rep;
#                       one DL4J repetition took 20-100 s here)
#   NNKIT_TINY_REPS=5   the same for nnkit (a repetition takes about a second, so more are cheap)
#   NNKIT_MLP_EPOCHS=$MLP_EPOCHS
#   WORKLOADS="mlp tiny"
#   VARIANT_ROUNDS=<rounds>  in how many rounds nnkit's other configurations run
#   DL4J_DEFAULT_ROUNDS=<rounds>  in how many rounds DL4J also runs with THREADS=default
#   FASHION=1           Fashion-MNIST end to end after each round (FASHION=0: not at all)
#   FASHION_DATA=/usr/share/datasets/fashion-mnist
#   DL4J_BASELINE=../shared/bench/dl4j-baseline (relative to the repository)
#   OUT=benchmarks/target/compare-<time>   logs of every run and results.tsv
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
baseline=${DL4J_BASELINE:-$repo/../shared/bench/dl4j-baseline}
jar=$here/target/benchmarks.jar
mode=${1:-3}
MLP_EPOCHS=${MLP_EPOCHS:-2}
TINY_REPS=${TINY_REPS:-1}
NNKIT_TINY_REPS=${NNKIT_TINY_REPS:-5}
NNKIT_MLP_EPOCHS=${NNKIT_MLP_EPOCHS:-$MLP_EPOCHS}
WORKLOADS=${WORKLOADS:-mlp tiny}
FASHION=${FASHION:-1}
FASHION_DATA=${FASHION_DATA:-/usr/share/datasets/fashion-mnist}
examples_jar=$repo/examples/target/nnkit-examples.jar
if [ -z "${PEAK_GFLOPS:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then PEAK_GFLOPS=164; else PEAK_GFLOPS=42; fi
fi
OUT=${OUT:-$here/target/compare-$(date +%Y%m%d-%H%M%S)}
[ "$mode" = summary ] && OUT=${2:?"usage: compare.sh summary <folder of an earlier run>"}
mkdir -p "$OUT"
tsv=$OUT/results.tsv

if [ "$mode" != summary ]; then
  if [ ! -f "$jar" ] || { [ "$FASHION" = 1 ] && [ ! -f "$examples_jar" ]; }; then
    (cd "$repo" && mvn -B -q -o package -DskipTests -pl benchmarks,examples -am)
  fi
  # the runs use copies in $OUT, so that a rebuild during the run cannot change or break them
  cp "$jar" "$OUT/benchmarks.jar"
  jar=$OUT/benchmarks.jar
  if [ "$FASHION" = 1 ]; then
    mkdir -p "$OUT/examples"
    cp -r "$examples_jar" "$(dirname "$examples_jar")/lib" "$OUT/examples/"
    examples_jar=$OUT/examples/nnkit-examples.jar
  fi
fi
if [ ! -x /usr/bin/time ]; then
  echo "compare.sh needs /usr/bin/time (Debian package 'time') for peak RSS" >&2
  exit 1
fi

# run <round> <workload> <label> <command...>: runs one candidate, logs it, appends to results.tsv
run() {
  local round=$1 workload=$2 label=$3
  shift 3
  local log=$OUT/r$round-$workload-$label.log
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local t0=$SECONDS
  /usr/bin/time -f "MAXRSS_KB %M" -o "$log.time" "$@" >"$log" 2>&1 || {
    echo "FAILED: $label ($workload), see $log" >&2
    tail -5 "$log" >&2
    return 1
  }
  local result rss median min max threads
  result=$(grep '^RESULT|' "$log" | tail -1)
  median=$(cut -d'|' -f7 <<<"$result")
  min=$(cut -d'|' -f8 <<<"$result")
  max=$(cut -d'|' -f9 <<<"$result")
  threads=$(cut -d'|' -f5 <<<"$result")
  rss=$(awk '/MAXRSS_KB/ {print $2}' "$log.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$workload" "$label" "$median" "$min" "$max" \
    "$rss" "$load" "$threads" >>"$tsv"
  printf '  round %s %-5s %-22s %12.1f %-9s (min %.1f max %.1f) threads %-3s peak RSS %5d MiB  load %s  %ds\n' \
    "$round" "$workload" "$label" "$median" "$(cut -d'|' -f10 <<<"$result")" "$min" "$max" "$threads" \
    $((rss / 1024)) "$load" $((SECONDS - t0))
}

# nnkit_cmd <workload> <count> [jvm flags...]: sets the array cmd to the nnkit harness command line
nnkit_cmd() {
  local workload=$1 count=$2
  shift 2
  cmd=(java -Xmx2g "$@" -cp "$jar" dev.nnkit.benchmarks.Throughput "$workload" "$count")
}

# dl4j_cmd <THREADS> <workload> <count>: sets cmd to the baseline's run.sh command line
dl4j_cmd() {
  local dtype=float
  [ "$2" = tiny ] && dtype=double
  cmd=(env THREADS="$1" "$baseline/run.sh" "$2" "$dtype" "$3")
}

vector=(--add-modules jdk.incubator.vector -Dnnkit.compute=vector)

# fashion <round>: Fashion-MNIST end to end with the example's settings; appends a row to fashion.tsv
fashion() {
  local log=$OUT/r$1-fashion-nnkit-openblas.log t0=$SECONDS
  # in $OUT: the example writes its charts to out/fashion/ under the working directory
  (cd "$OUT" && /usr/bin/time -f "MAXRSS_KB %M WALL_S %e" -o "$log.time" java -jar "$examples_jar" fashion \
    --no-progress --data "$FASHION_DATA" >"$log" 2>&1) || { echo "FAILED: fashion, see $log" >&2; tail -5 "$log" >&2; return 1; }
  local wall rss reached final
  wall=$(awk '/WALL_S/ {print $4}' "$log.time")
  rss=$(awk '/MAXRSS_KB/ {print $2}' "$log.time")
  reached=$(awk '/^epoch [0-9]+\/[0-9]+:.*test accuracy/ { split($2, e, "/"); sub(":", "", e[2]); if ($NF + 0 >= 0.88) { print "0.88 reached after epoch " e[1] " of " e[2]; exit } }' "$log")
  final=$(grep -m1 -E '^test accuracy [0-9.]+ .*training took' "$log")
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$wall" "$rss" "$reached" "$final" >>"$OUT/fashion.tsv"
  printf '  round %s fashion nnkit-openblas  wall %6.1f s  peak RSS %5d MiB  %s | %s  %ds\n' "$1" "$wall" \
    $((rss / 1024)) "$reached" "$final" $((SECONDS - t0))
}

machine() {
  echo "# $(date -Is) $(uname -srm); $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# $(java -version 2>&1 | head -1); libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)"
  echo "# logs: $OUT"
}

summarize() {
  # Ratios per round (nnkit configuration / DL4J setting of the same round), then median/min/max.
  echo
  echo "ratios over rounds (rate of the first / rate of the second, same round; median [min, max] (rounds))"
  awk -F'\t' '
    NR == 1 { next }
    { rate[$1 SUBSEP $2 SUBSEP $3] = $4; rss[$2 SUBSEP $3] = rss[$2 SUBSEP $3] " " $7
      labels[$2 SUBSEP $3] = 1; rounds[$1] = 1; works[$2] = 1; thr[$2 SUBSEP $3] = $9 }
    function stats(list,    n, v, i, j, t, med) {
      n = split(list, v, " ")
      if (n == 0) return "n/a"
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      return sprintf("%.2f [%.2f, %.2f] (%d)", med, v[1], v[n], n)
    }
    END {
      for (w in works) {
        for (l in labels) {
          split(l, p, SUBSEP); if (p[1] != w || p[2] !~ /^nnkit/) continue
          for (d in labels) {
            split(d, q, SUBSEP); if (q[1] != w || q[2] !~ /^dl4j/) continue
            list = ""
            for (r in rounds) if ((r SUBSEP w SUBSEP p[2]) in rate && (r SUBSEP w SUBSEP q[2]) in rate)
              list = list " " rate[r SUBSEP w SUBSEP p[2]] / rate[r SUBSEP w SUBSEP q[2]]
            printf "  %-5s %-22s / %-15s (DL4J threads %s)  %s\n", w, p[2], q[2], thr[w SUBSEP q[2]], stats(list)
          }
        }
        for (l in labels) {
          split(l, p, SUBSEP); if (p[1] != w) continue
          list = ""
          for (r in rounds) if ((r SUBSEP w SUBSEP p[2]) in rate) list = list " " rate[r SUBSEP w SUBSEP p[2]]
          rs = rss[l]; n = split(rs, v, " "); mx = 0; for (i = 1; i <= n; i++) if (v[i] + 0 > mx) mx = v[i] + 0
          printf "  %-5s %-22s rate %s   peak RSS max %d MiB", w, p[2], stats(list), mx / 1024
          if (w == "mlp") {
            n = split(list, v, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
            med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            if (p[2] ~ /^nnkit/) printf "   %.1f GFLOP/s = %.0f%% of the fp64 peak %s", med * 1.007e-3, 100 * med * 1.007e-3 / peak, peak
          }
          printf "\n"
        }
      }
    }' peak="$PEAK_GFLOPS" "$tsv" | sort | tee "$OUT/summary.txt"
  if [ "$FASHION" = 1 ]; then
    echo
    echo "Fashion-MNIST end to end (nnkit-openblas, the example's settings): wall s, peak RSS, per round"
    awk -F'\t' 'NR > 1 { printf "  round %s  %s s  %d MiB  %s | %s\n", $1, $2, $3 / 1024, $4, $5 }' "$OUT/fashion.tsv" \
      | tee -a "$OUT/summary.txt"
  fi

  # Determinism: nnkit's printed losses (4 decimals) of every run of one configuration should be equal;
  # the compute paths should agree up to round-off.
  echo
  echo "nnkit losses per configuration (identical across rounds = deterministic run to run)"
  for f in "$OUT"/r*-nnkit*.log; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .log)
    label=${name#r*-}
    loss=$(grep -E '^final loss|^rep 0:' "$f" | sed -E 's/.*(final loss \(first 10k\) [0-9.]+|loss [0-9.]+ -> [0-9.]+).*/\1/' | head -1 || true)
    printf '%s\t%s\n' "$label" "$loss"
  done | sort | uniq -c | sed 's/^/  /' | tee -a "$OUT/summary.txt"
}

if [ "$mode" = summary ]; then
  # benchmarks/compare.sh summary <OUT of an earlier run>: the ratios and tables again, from its results.tsv
  summarize
  exit 0
fi

if [ "$mode" = sweep ]; then
  machine | tee "$OUT/machine.txt"
  printf 'round\tworkload\tlabel\tmedian\tmin\tmax\trss_kb\tload\tthreads\n' >"$tsv"
  for b in 32 64 128 256 512 1024; do
    nnkit_cmd mlp 1 -Dbench.batch="$b"
    run 1 mlp "batch$b" "${cmd[@]}"
    run 1 mlp "batch$b-1thread" env OPENBLAS_NUM_THREADS=1 "${cmd[@]}"
  done
  for h in 64,32 128,64 256,128 512,256 1024,512; do
    nnkit_cmd mlp 1 -Dbench.hidden="$h"
    run 1 mlp "hidden${h/,/-}" "${cmd[@]}"
  done
  exit 0
fi

rounds=$mode
DL4J_DEFAULT_ROUNDS=${DL4J_DEFAULT_ROUNDS:-$rounds}
VARIANT_ROUNDS=${VARIANT_ROUNDS:-$rounds}
machine | tee "$OUT/machine.txt"
echo "# rounds $rounds; MLP_EPOCHS=$MLP_EPOCHS TINY_REPS=$TINY_REPS VARIANT_ROUNDS=$VARIANT_ROUNDS DL4J_DEFAULT_ROUNDS=$DL4J_DEFAULT_ROUNDS FASHION=$FASHION PEAK_GFLOPS=$PEAK_GFLOPS" | tee -a "$OUT/machine.txt"
printf 'round\tworkload\tlabel\tmedian\tmin\tmax\trss_kb\tload\tthreads\n' >"$tsv"

printf 'round\twall_s\trss_kb\treached\tfinal\n' >"$OUT/fashion.tsv"
for ((r = 1; r <= rounds; r++)); do
  echo "round $r of $rounds"
  for w in $WORKLOADS; do
    count=$MLP_EPOCHS ncount=$NNKIT_MLP_EPOCHS
    [ "$w" = tiny ] && count=$TINY_REPS ncount=$NNKIT_TINY_REPS
    nnkit_cmd "$w" "$ncount"
    run "$r" "$w" nnkit-openblas "${cmd[@]}"
    dl4j_cmd 1 "$w" "$count"
    run "$r" "$w" dl4j-threads1 "${cmd[@]}"
    if ((r <= VARIANT_ROUNDS)); then
      nnkit_cmd "$w" "$ncount" -Dnnkit.compute=system_blas
      run "$r" "$w" nnkit-system-blas "${cmd[@]}" || echo "  (no system BLAS here: nnkit-system-blas left out)"
    fi
    if ((r <= DL4J_DEFAULT_ROUNDS)); then
      dl4j_cmd default "$w" "$count"
      run "$r" "$w" dl4j-default "${cmd[@]}"
    fi
    if ((r <= VARIANT_ROUNDS)); then
      nnkit_cmd "$w" "$ncount" "${vector[@]}"
      run "$r" "$w" nnkit-vector "${cmd[@]}"
      nnkit_cmd "$w" "$ncount" -Dnnkit.compute=ejml
      run "$r" "$w" nnkit-ejml "${cmd[@]}"
      nnkit_cmd "$w" "$ncount" "-Dnnkit.compute=openblas(threads=2)"
      run "$r" "$w" nnkit-openblas-2threads "${cmd[@]}"
    fi
  done
  if [ "$FASHION" = 1 ]; then
    fashion "$r"
  fi
done

summarize
