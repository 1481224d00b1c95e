#!/usr/bin/env bash
# nnkit against the Deeplearning4j baseline, side by side on the same machine, alternately.
#
#   benchmarks/compare.sh [rounds]      both workloads, rounds (default 3) of alternating runs, then
#                                       the ratios nnkit/DL4J: median, min and max over the rounds
#   benchmarks/compare.sh sweep         nnkit only: MLP throughput vs batch size and vs hidden width,
#                                       fp64 and fp32 side by side, then its tables
#   benchmarks/compare.sh summary DIR   the ratios and tables again from DIR/results.tsv of an earlier run
#                                       (of either kind)
#
# Each round runs, one after the other (nnkit and DL4J interleaved so that background load hits
# both evenly), the configurations a user of nnkit can be in, each in fp64 (label suffix -f64, the
# default dtype) and fp32 (-f32: `Throughput <workload> float`, a network built with dtype(FLOAT32)):
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
# wall time and peak RSS (nnkit only: the baseline has no such workload), once per dtype of
# FASHION_DTYPES (f32 passes `--dtype float32`, and is left out with a note when the example's
# fashion command has no --dtype option).
# Every nnkit run is `java -Xmx2g -cp target/benchmarks.jar dev.nnkit.benchmarks.Throughput <workload>
# double|float <count>` (the baseline's run.sh also uses -Xmx2g); every DL4J run is
# `THREADS=... ../shared/bench/dl4j-baseline/run.sh` with `mlp float` (its best dtype) or `tiny double`
# (as in its README): both nnkit dtypes are compared with the same DL4J runs. Peak RSS of every run
# comes from /usr/bin/time -f %M; the 1-minute load average before each run is recorded too. The MLP
# rates are also given in GFLOP/s (1.007 MFLOP per sample for forward + backward + update) and as a
# share of the machine's FMA peak for the row's dtype (PEAK_GFLOPS for fp64, PEAK32_GFLOPS for fp32;
# defaults 164 and 338 on AVX-512, 42 and 84 on AVX2: 2 cores). The summary ends with the issue's
# targets (MLP fp64 >= 2.0x and fp32 >= 3.0x DL4J at its best, tiny >= 30x, MLP peak RSS <= 1/3 of
# DL4J's in fp64 and <= 1/4 in fp32), each with its median, range and the rounds that meet it.
#
# Time per round on the 2-core AVX-512 machine, quiet: about 5.5 minutes for the MLP in every
# configuration and both dtypes (the EJML rows take 1.5 minutes each), 2 for the tiny workload
# (DL4J's alone about 1.5), half a minute for Fashion-MNIST; under load several times that.
# VARIANT_ROUNDS=1 (the other configurations in the first round only) or a shorter VARIANTS list
# keeps later rounds to the judged rows: bundled backend in both dtypes against DL4J THREADS=1.
#
# Environment:
#   MLP_EPOCHS=2        timed epochs per MLP run (after the one warm-up epoch both harnesses do)
#   TINY_REPS=1         timed repetitions of 10,000 iterations per DL4J tiny run (after one warm-up rep;
#                       one DL4J repetition took 20-100 s here)
#   NNKIT_TINY_REPS=5   the same for nnkit (a repetition takes about a second, so more are cheap)
#   NNKIT_MLP_EPOCHS=$MLP_EPOCHS
#   WORKLOADS="mlp tiny"
#   DTYPES="f64 f32"    nnkit's dtypes in the rounds (and the sweep's, unless SWEEP_DTYPES says)
#   VARIANT_ROUNDS=<rounds>  in how many rounds nnkit's other configurations run
#   VARIANTS="system-blas vector ejml openblas-2threads"  which of them
#   DL4J_DEFAULT_ROUNDS=<rounds>  in how many rounds DL4J also runs with THREADS=default
#   FASHION=1           Fashion-MNIST end to end after each round (FASHION=0: not at all)
#   FASHION_DTYPES=f64  its dtypes ("f64 f32" needs a fashion command with --dtype)
#   FASHION_DATA=/usr/share/datasets/fashion-mnist
#   SWEEP_DTYPES=$DTYPES  SWEEP_THREADS="1 2" (batch sweep)  SWEEP_HIDDEN_THREADS=1 (width sweep)
#   PEAK_GFLOPS, PEAK32_GFLOPS  the fp64 and fp32 FMA peaks of the machine (see above)
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
DTYPES=${DTYPES:-f64 f32}
VARIANTS=${VARIANTS:-system-blas vector ejml openblas-2threads}
FASHION=${FASHION:-1}
FASHION_DTYPES=${FASHION_DTYPES:-f64}
FASHION_DATA=${FASHION_DATA:-/usr/share/datasets/fashion-mnist}
SWEEP_DTYPES=${SWEEP_DTYPES:-$DTYPES}
SWEEP_THREADS=${SWEEP_THREADS:-1 2}
SWEEP_HIDDEN_THREADS=${SWEEP_HIDDEN_THREADS:-1}
examples_jar=$repo/examples/target/nnkit-examples.jar
if grep -qw avx512f /proc/cpuinfo; then
  PEAK_GFLOPS=${PEAK_GFLOPS:-164} PEAK32_GFLOPS=${PEAK32_GFLOPS:-338}
else
  PEAK_GFLOPS=${PEAK_GFLOPS:-42} PEAK32_GFLOPS=${PEAK32_GFLOPS:-84}
fi
for d in $DTYPES $FASHION_DTYPES $SWEEP_DTYPES; do
  case $d in
    f64 | f32) ;;
    *) echo "compare.sh: dtype '$d' in DTYPES, FASHION_DTYPES or SWEEP_DTYPES; use f64 or f32" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-$here/target/compare-$(date +%Y%m%d-%H%M%S)}
[ "$mode" = summary ] && OUT=${2:?"usage: compare.sh summary <folder of an earlier run>"}
if [ "$mode" = summary ] && [ ! -f "$OUT/results.tsv" ]; then
  echo "compare.sh summary: no results.tsv in $OUT (give the OUT folder of an earlier compare.sh run)" >&2
  exit 2
fi
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
  local result rss median min max threads dtype
  result=$(grep '^RESULT|' "$log" | tail -1)
  median=$(cut -d'|' -f7 <<<"$result")
  min=$(cut -d'|' -f8 <<<"$result")
  max=$(cut -d'|' -f9 <<<"$result")
  threads=$(cut -d'|' -f5 <<<"$result")
  dtype=$(cut -d'|' -f4 <<<"$result")
  rss=$(awk '/MAXRSS_KB/ {print $2}' "$log.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$workload" "$label" "$median" "$min" "$max" \
    "$rss" "$load" "$threads" "$dtype" >>"$tsv"
  printf '  round %s %-5s %-26s %12.1f %-9s (min %.1f max %.1f) threads %-3s peak RSS %5d MiB  load %s  %ds\n' \
    "$round" "$workload" "$label" "$median" "$(cut -d'|' -f10 <<<"$result")" "$min" "$max" "$threads" \
    $((rss / 1024)) "$load" $((SECONDS - t0))
}

# nnkit_cmd <workload> <f64|f32> <count> [jvm flags...]: sets the array cmd to the nnkit harness command line
nnkit_cmd() {
  local workload=$1 dtype=double count=$3
  [ "$2" = f32 ] && dtype=float
  shift 3
  cmd=(java -Xmx2g "$@" -cp "$jar" dev.nnkit.benchmarks.Throughput "$workload" "$dtype" "$count")
}

# dl4j_cmd <THREADS> <workload> <count>: sets cmd to the baseline's run.sh command line
dl4j_cmd() {
  local dtype=float
  [ "$2" = tiny ] && dtype=double
  cmd=(env THREADS="$1" "$baseline/run.sh" "$2" "$dtype" "$3")
}

# variant_flags <variant>: sets the array flags to the JVM flags of one of VARIANTS
variant_flags() {
  case $1 in
    system-blas) flags=(-Dnnkit.compute=system_blas) ;;
    vector) flags=(--add-modules jdk.incubator.vector -Dnnkit.compute=vector) ;;
    ejml) flags=(-Dnnkit.compute=ejml) ;;
    openblas-2threads) flags=("-Dnnkit.compute=openblas(threads=2)") ;;
    *) echo "compare.sh: unknown variant '$1' in VARIANTS (system-blas, vector, ejml, openblas-2threads)" >&2; exit 2 ;;
  esac
}

# fashion <round> <f64|f32>: Fashion-MNIST end to end with the example's settings; appends a row to fashion.tsv
fashion() {
  local log=$OUT/r$1-fashion-nnkit-openblas-$2.log t0=$SECONDS
  local dtype_flag=()
  if [ "$2" = f32 ]; then
    if ! java -jar "$examples_jar" fashion --help 2>&1 | grep -q -- '--dtype'; then
      echo "  round $1 fashion fp32 left out: this build's fashion command has no --dtype option"
      return 0
    fi
    dtype_flag=(--dtype float32)
  fi
  # in $OUT: the example writes its charts to out/fashion/ under the working directory
  (cd "$OUT" && /usr/bin/time -f "MAXRSS_KB %M WALL_S %e" -o "$log.time" java -jar "$examples_jar" fashion \
    --no-progress --data "$FASHION_DATA" "${dtype_flag[@]}" >"$log" 2>&1) || { echo "FAILED: fashion $2, see $log" >&2; tail -5 "$log" >&2; return 1; }
  local wall rss reached final
  wall=$(awk '/WALL_S/ {print $4}' "$log.time")
  rss=$(awk '/MAXRSS_KB/ {print $2}' "$log.time")
  reached=$(awk '/^epoch [0-9]+\/[0-9]+:.*test accuracy/ { split($2, e, "/"); sub(":", "", e[2]); if ($NF + 0 >= 0.88) { print "0.88 reached after epoch " e[1] " of " e[2]; exit } }' "$log")
  final=$(grep -m1 -E '^test accuracy [0-9.]+ .*training took' "$log")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$wall" "$rss" "$reached" "$final" "$2" >>"$OUT/fashion.tsv"
  printf '  round %s fashion nnkit-openblas-%s  wall %6.1f s  peak RSS %5d MiB  %s | %s  %ds\n' "$1" "$2" "$wall" \
    $((rss / 1024)) "$reached" "$final" $((SECONDS - t0))
}

machine() {
  echo "# $(date -Is) $(uname -srm); $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# $(java -version 2>&1 | head -1); libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo none)"
  echo "# logs: $OUT"
}

# The awk functions both summaries share: stats(list) = "median [min, max] (n)" of a space-separated
# list, med(list) = its median; label(workload, label, dtype) = the label with its dtype suffix (runs
# written before fp32 have nnkit labels without one and no dtype column: those were fp64).
awk_lib='
  function sorted(list, v,    n, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n
  }
  function med(list,    v, n) {
    n = sorted(list, v)
    if (n == 0) return ""
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function stats(list, fmt,    v, n) {
    n = sorted(list, v)
    if (n == 0) return "n/a"
    if (fmt == "") fmt = "%.2f"
    return sprintf(fmt " [" fmt ", " fmt "] (%d)", med(list), v[1], v[n], n)
  }
  function dtype(d) { return (d == "f32" || d == "f64") ? d : "f64" }
  function label(l, d) {
    if (l !~ /^nnkit/ || l ~ /-f(32|64)$/) return l
    return l "-" dtype(d)
  }
'

summarize() {
  # Ratios per round (nnkit configuration / DL4J setting of the same round), then median/min/max.
  # Each output line of awk starts with a sort key and a tab; the key orders the sections.
  echo
  echo "ratios over rounds (rate of the first / rate of the second, same round; median [min, max] (rounds)),"
  echo "rates, GFLOP/s (MLP: 1.007 MFLOP per sample) and peak RSS per configuration, then the issue's targets"
  awk -F'\t' "$awk_lib"'
    NR == 1 { next }
    { l = label($3, $10); w = $2
      rate[$1 SUBSEP w SUBSEP l] = $4; rssr[$1 SUBSEP w SUBSEP l] = $7; rss[w SUBSEP l] = rss[w SUBSEP l] " " $7
      labels[w SUBSEP l] = 1; rounds[$1] = 1; works[w] = 1; thr[w SUBSEP l] = $9; dt[w SUBSEP l] = dtype($10) }
    # per-round ratio lists of a over b: kind "rate" or "rss"
    function ratios(w, a, b, kind,    r, list) {
      list = ""
      for (r in rounds) {
        if (!((r SUBSEP w SUBSEP a) in rate) || !((r SUBSEP w SUBSEP b) in rate)) continue
        if (kind == "rate") list = list " " rate[r SUBSEP w SUBSEP a] / rate[r SUBSEP w SUBSEP b]
        else list = list " " rssr[r SUBSEP w SUBSEP a] / rssr[r SUBSEP w SUBSEP b]
      }
      return list
    }
    function target(idx, what, w, a, kind, bound, above,    list, v, n, i, met, m) {
      list = ratios(w, a, "dl4j-threads1", kind)
      n = sorted(list, v)
      if (n == 0) { printf "9 target %d\t  %-40s not measured in this run\n", idx, what; return }
      met = 0
      for (i = 1; i <= n; i++) if ((above && v[i] >= bound) || (!above && v[i] <= bound)) met++
      m = med(list)
      printf "9 target %d\t  %-40s %s  %s at the median, in %d of %d rounds\n", idx, what, stats(list),
        ((above && m >= bound) || (!above && m <= bound)) ? "MET" : "NOT met", met, n
    }
    END {
      for (k in labels) {
        split(k, p, SUBSEP); w = p[1]; l = p[2]
        if (l ~ /^nnkit/) {
          for (d in labels) {
            split(d, q, SUBSEP); if (q[1] != w || q[2] !~ /^dl4j/) continue
            printf "1 %s %s %s\t  %-5s %-27s / %-13s (DL4J threads %s)  %s\n", w, q[2], l, w, l, q[2], thr[w SUBSEP q[2]],
              stats(ratios(w, l, q[2], "rate"))
          }
          if (w == "mlp" && (w SUBSEP "dl4j-threads1") in labels)
            printf "3 %s %s\t  %-5s %-27s peak RSS / DL4J threads1 per round: %s\n", w, l, w, l, stats(ratios(w, l, "dl4j-threads1", "rss"))
        }
        list = ""
        for (r in rounds) if ((r SUBSEP w SUBSEP l) in rate) list = list " " rate[r SUBSEP w SUBSEP l]
        n = sorted(rss[k], v); mn = v[1]; mx = v[n]
        line = sprintf("  %-5s %-27s rate %s   peak RSS %d-%d MiB", w, l, stats(list, "%.0f"), mn / 1024, mx / 1024)
        if (w == "mlp" && l ~ /^nnkit/) {
          pk = (dt[k] == "f32") ? peak32 : peak
          m = med(list)
          line = line sprintf("   %.1f GFLOP/s = %.0f%% of the %s peak %s", m * 1.007e-3, 100 * m * 1.007e-3 / pk,
            dt[k] == "f32" ? "fp32" : "fp64", pk)
        }
        printf "2 %s %s\t%s\n", w, l, line
      }
      print "9 target\t"
      print "9 target 0\tthe issue'"'"'s targets (bundled backend, default 1 thread, against DL4J THREADS=1; per-round ratios):"
      target(1, "MLP fp64 >= 2.0x DL4J best", "mlp", "nnkit-openblas-f64", "rate", 2.0, 1)
      target(2, "MLP fp32 >= 3.0x DL4J best", "mlp", "nnkit-openblas-f32", "rate", 3.0, 1)
      target(3, "tiny fp64 >= 30x DL4J best", "tiny", "nnkit-openblas-f64", "rate", 30, 1)
      target(4, "tiny fp32 >= 30x DL4J best", "tiny", "nnkit-openblas-f32", "rate", 30, 1)
      target(5, "MLP peak RSS fp64 <= 1/3 of DL4J best", "mlp", "nnkit-openblas-f64", "rss", 1 / 3, 0)
      target(6, "MLP peak RSS fp32 <= 1/4 of DL4J best", "mlp", "nnkit-openblas-f32", "rss", 1 / 4, 0)
    }' peak="$PEAK_GFLOPS" peak32="$PEAK32_GFLOPS" "$tsv" | sort -t$'\t' -k1,1 | cut -f2- | tee "$OUT/summary.txt"
  if [ -f "$OUT/fashion.tsv" ] && [ "$(wc -l <"$OUT/fashion.tsv")" -gt 1 ]; then
    echo
    echo "Fashion-MNIST end to end (nnkit-openblas, the example's settings): wall s, peak RSS, per round"
    awk -F'\t' 'NR > 1 { printf "  round %s %s  %s s  %d MiB  %s | %s\n", $1, ($6 == "" ? "f64" : $6), $2, $3 / 1024, $4, $5 }' \
      "$OUT/fashion.tsv" | tee -a "$OUT/summary.txt"
  fi
  losses
}

# Determinism: nnkit's printed losses (4 decimals) of every run of one configuration should be equal;
# the compute paths should agree up to round-off.
losses() {
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

# The sweep's tables: rate, GFLOP/s (FLOP per sample 6W - 2*784*H1, W = the weights), share of the
# dtype's peak and time per sample, for every batch size and width, with fp32/fp64 at equal settings.
summarize_sweep() {
  echo
  echo "MLP 784-H1-H2-10 on the bundled OpenBLAS, one timed epoch of 60,000 samples per point"
  awk -F'\t' "$awk_lib"'
    NR == 1 { next }
    { b = 128; h1 = 256; h2 = 128
      if (match($3, /^b(atch)?[0-9]+/)) { s = substr($3, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); b = s + 0 }
      if (match($3, /^h(idden)?[0-9]+-[0-9]+/)) { s = substr($3, RSTART, RLENGTH); sub(/^h(idden)?/, "", s); split(s, hh, "-"); h1 = hh[1] + 0; h2 = hh[2] + 0 }
      d = dtype($10); t = $9
      w = 784 * h1 + h1 * h2 + h2 * 10
      flop = 6 * w - 2 * 784 * h1
      pk = (d == "f32") ? peak32 : peak
      kind = ($3 ~ /^h/) ? "2 width" : "1 batch"
      key = kind SUBSEP b SUBSEP h1 SUBSEP h2 SUBSEP t
      rate[key SUBSEP d] = $4; keys[key] = 1
      printf "%s %06d %06d %02d %s\t  %-6s batch %5d  H %4d-%-4d %s threads %-2s %9.0f samples/s %6.1f GFLOP/s = %3.0f%% of %s   %7.1f us/sample  %6.2f ms/step  peak RSS %d MiB\n",
        kind, b, h1, t, d, substr(kind, 3), b, h1, h2, d, t, $4, $4 * flop * 1e-9, 100 * $4 * flop * 1e-9 / pk, pk, 1e6 / $4, 1e3 * b / $4, $7 / 1024
    }
    END {
      for (k in keys) if ((k SUBSEP "f32") in rate && (k SUBSEP "f64") in rate) {
        split(k, p, SUBSEP)
        printf "3 %s %06d %06d %02d\t  f32 / f64  %-6s batch %5d  H %4d-%-4d threads %-2s  %.2f\n", p[1], p[2], p[3], p[5],
          substr(p[1], 3), p[2], p[3], p[4], p[5], rate[k SUBSEP "f32"] / rate[k SUBSEP "f64"]
      }
    }' peak="$PEAK_GFLOPS" peak32="$PEAK32_GFLOPS" "$tsv" | sort -t$'\t' -k1,1 | cut -f2- | tee "$OUT/summary.txt"
}

if [ "$mode" = summary ]; then
  # benchmarks/compare.sh summary <OUT of an earlier run>: the ratios and tables again, from its results.tsv
  if grep -qE $'^[0-9]+\tmlp\t(b|h)[a-z]*[0-9]' "$tsv"; then summarize_sweep; else summarize; fi
  exit 0
fi

if [ "$mode" = sweep ]; then
  machine | tee "$OUT/machine.txt"
  echo "# sweep; SWEEP_DTYPES=$SWEEP_DTYPES SWEEP_THREADS=$SWEEP_THREADS SWEEP_HIDDEN_THREADS=$SWEEP_HIDDEN_THREADS PEAK_GFLOPS=$PEAK_GFLOPS PEAK32_GFLOPS=$PEAK32_GFLOPS" | tee -a "$OUT/machine.txt"
  printf 'round\tworkload\tlabel\tmedian\tmin\tmax\trss_kb\tload\tthreads\tdtype\n' >"$tsv"
  # threads_flags <n>: the bundled backend on n threads (1 is its default)
  threads_flags() { flags=(); [ "$1" = 1 ] || flags=("-Dnnkit.compute=openblas(threads=$1)"); }
  for b in 32 64 128 256 512 1024; do
    for t in $SWEEP_THREADS; do
      threads_flags "$t"
      for d in $SWEEP_DTYPES; do
        nnkit_cmd mlp "$d" 1 -Dbench.batch="$b" "${flags[@]}"
        run 1 mlp "b$b-$d-t$t" "${cmd[@]}"
      done
    done
  done
  for h in 64,32 128,64 256,128 512,256 1024,512; do
    for t in $SWEEP_HIDDEN_THREADS; do
      threads_flags "$t"
      for d in $SWEEP_DTYPES; do
        nnkit_cmd mlp "$d" 1 -Dbench.hidden="$h" "${flags[@]}"
        run 1 mlp "h${h/,/-}-$d-t$t" "${cmd[@]}"
      done
    done
  done
  summarize_sweep
  exit 0
fi

rounds=$mode
DL4J_DEFAULT_ROUNDS=${DL4J_DEFAULT_ROUNDS:-$rounds}
VARIANT_ROUNDS=${VARIANT_ROUNDS:-$rounds}
machine | tee "$OUT/machine.txt"
echo "# rounds $rounds; MLP_EPOCHS=$MLP_EPOCHS NNKIT_MLP_EPOCHS=$NNKIT_MLP_EPOCHS TINY_REPS=$TINY_REPS NNKIT_TINY_REPS=$NNKIT_TINY_REPS DTYPES=$DTYPES VARIANT_ROUNDS=$VARIANT_ROUNDS VARIANTS=$VARIANTS DL4J_DEFAULT_ROUNDS=$DL4J_DEFAULT_ROUNDS FASHION=$FASHION FASHION_DTYPES=$FASHION_DTYPES PEAK_GFLOPS=$PEAK_GFLOPS PEAK32_GFLOPS=$PEAK32_GFLOPS" | tee -a "$OUT/machine.txt"
printf 'round\tworkload\tlabel\tmedian\tmin\tmax\trss_kb\tload\tthreads\tdtype\n' >"$tsv"

printf 'round\twall_s\trss_kb\treached\tfinal\tdtype\n' >"$OUT/fashion.tsv"
for ((r = 1; r <= rounds; r++)); do
  echo "round $r of $rounds"
  for w in $WORKLOADS; do
    count=$MLP_EPOCHS ncount=$NNKIT_MLP_EPOCHS
    [ "$w" = tiny ] && count=$TINY_REPS ncount=$NNKIT_TINY_REPS
    for d in $DTYPES; do
      nnkit_cmd "$w" "$d" "$ncount"
      run "$r" "$w" "nnkit-openblas-$d" "${cmd[@]}"
    done
    dl4j_cmd 1 "$w" "$count"
    run "$r" "$w" dl4j-threads1 "${cmd[@]}"
    # the variants, with DL4J's default threads in the middle of them
    half=0
    for v in $VARIANTS; do
      if ((half == 1 && r <= DL4J_DEFAULT_ROUNDS)); then
        dl4j_cmd default "$w" "$count"
        run "$r" "$w" dl4j-default "${cmd[@]}"
      fi
      half=$((half + 1))
      ((r <= VARIANT_ROUNDS)) || continue
      variant_flags "$v"
      for d in $DTYPES; do
        nnkit_cmd "$w" "$d" "$ncount" "${flags[@]}"
        run "$r" "$w" "nnkit-$v-$d" "${cmd[@]}" || echo "  (nnkit-$v-$d failed: left out; no system BLAS here?)"
      done
    done
    if ((half <= 1 && r <= DL4J_DEFAULT_ROUNDS)); then
      dl4j_cmd default "$w" "$count"
      run "$r" "$w" dl4j-default "${cmd[@]}"
    fi
  done
  if [ "$FASHION" = 1 ]; then
    for d in $FASHION_DTYPES; do
      fashion "$r" "$d"
    done
  fi
done

summarize
