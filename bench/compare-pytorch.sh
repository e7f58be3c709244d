#!/usr/bin/env bash
# Compares training steps of nas4j with their PyTorch peers, running the two alternately per mode so that machine
# noise hits both: the NAS-Bench-201 supernet (Nb201StepBenchmark vs shared/bench/torch_nb201_supernet.py) and the
# DARTS search network (DartsSearchStepBenchmark vs shared/bench/torch_darts_search.py).
# Prints, per mode, the median over rounds of each side's median step time and peak RSS, and the ratios
# nas4j / PyTorch.
#
# Usage: bench/compare-pytorch.sh [MODE...]
#   MODE is nb201:fixed|single|mixed or darts:darts1|darts2|gdas|single; a bare fixed, single or mixed is
#   NAS-Bench-201, a bare darts1, darts2 or gdas is DARTS. Default: six (nb201:fixed nb201:single nb201:mixed
#   darts:darts1 darts:gdas darts:single); darts:darts2 (second-order DARTS) runs when named.
# Environment: ROUNDS (default 3), BENCH_ARGS (passed to both NAS-Bench-201 sides, e.g. "--steps 20 --warmup 5"),
#              DARTS_ARGS (passed to both DARTS sides; default "--batch 32 --layers 5 --steps 5 --warmup 2", the
#              network of issue 11's figures; the scripts' own defaults are batch 64, 8 layers),
#              TORCH_SCRIPT (default /work/shared/bench/torch_nb201_supernet.py), TORCH_DARTS_SCRIPT (default
#              /work/shared/bench/torch_darts_search.py), PYTHON (default /usr/bin/python3),
#              SKIP_BUILD=1 to reuse the last build, MVN_ARGS (extra Maven arguments of the build, e.g.
#              "-o" offline, "-Dmaven.repo.local=/path/to/private/repo"); without -o so that a fresh machine fetches
#              the dependency plugin the class path needs.
# Threads: both sides run with the environment as a user has it (nas4j chooses its native threads itself: every
# core for one job); pass BENCH_ARGS="--threads 1" to compare at one thread (both benchmarks take --threads).
set -euo pipefail
cd "$(dirname "$0")/.."

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(nb201:fixed nb201:single nb201:mixed darts:darts1 darts:gdas darts:single)
rounds=${ROUNDS:-3}
bench_args=${BENCH_ARGS:-}
darts_args=${DARTS_ARGS:---batch 32 --layers 5 --steps 5 --warmup 2}
torch_script=${TORCH_SCRIPT:-/work/shared/bench/torch_nb201_supernet.py}
torch_darts_script=${TORCH_DARTS_SCRIPT:-/work/shared/bench/torch_darts_search.py}
python=${PYTHON:-/usr/bin/python3}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q ${MVN_ARGS:-} -pl nas-examples -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
    >/dev/null
fi
# this checkout's module classes, not the nas4j jars in ~/.m2 (other checkouts install the same coordinates)
cp="$(tr ':' '\n' < nas-examples/target/classpath.txt | grep -v '/org/nas4j/' | paste -sd:)"
for m in nas-core nas-spaces nas-estimators nas-strategies nas-examples; do cp="$cp:$m/target/classes"; done

field() { # field NAME LINE...: value of NAME=... or of the word after NAME
  sed -n "s/.*$1[= ]\([0-9.]*\).*/\1/p" | head -1
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

printf '%-13s %12s %12s %7s %12s %12s %7s\n' mode nas4j_ms torch_ms ratio nas4j_MiB torch_MiB ratio
for spec in "${modes[@]}"; do
  case "$spec" in
    nb201:*|darts:*) net=${spec%%:*}; mode=${spec#*:} ;;
    darts1|darts2|gdas) net=darts; mode=$spec ;;
    *) net=nb201; mode=$spec ;;
  esac
  if [ "$net" = darts ]; then
    main=org.nas4j.examples.DartsSearchStepBenchmark; script=$torch_darts_script; args=$darts_args
  else
    main=org.nas4j.examples.Nb201StepBenchmark; script=$torch_script; args=$bench_args
  fi
  j_ms=(); t_ms=(); j_mb=(); t_mb=()
  echo "# $net:$mode: java -cp \$cp $main $mode $args  |  $python $script $mode $args" >&2
  for ((r = 0; r < rounds; r++)); do
    out=$(java -cp "$cp" "$main" "$mode" $args 2>/dev/null)
    j_ms+=("$(echo "$out" | grep '^RESULT' | field median)")
    j_mb+=("$(echo "$out" | grep '^PEAK_RSS_MIB' | field PEAK_RSS_MIB)")
    out=$("$python" "$script" "$mode" $args 2>/dev/null)
    t_ms+=("$(echo "$out" | grep '^RESULT' | field median)")
    t_mb+=("$(echo "$out" | grep '^PEAK_RSS_MIB' | field PEAK_RSS_MIB)")
    echo "# $net:$mode round $((r + 1)): nas4j ${j_ms[-1]} ms ${j_mb[-1]} MiB, torch ${t_ms[-1]} ms ${t_mb[-1]} MiB" >&2
  done
  jm=$(printf '%s\n' "${j_ms[@]}" | median); tm=$(printf '%s\n' "${t_ms[@]}" | median)
  jr=$(printf '%s\n' "${j_mb[@]}" | median); tr=$(printf '%s\n' "${t_mb[@]}" | median)
  printf '%-13s %12.1f %12.1f %7.2f %12.0f %12.0f %7.2f\n' "$net:$mode" "$jm" "$tm" "$(echo "$jm / $tm" | bc -l)" \
    "$jr" "$tr" "$(echo "$jr / $tr" | bc -l)"
done
