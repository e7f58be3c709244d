#!/usr/bin/env bash
# Compares training steps of nas4j with their PyTorch peers, running the two alternately per mode so that machine
# noise hits both: the NAS-Bench-201 supernet (Nb201StepBenchmark vs shared/bench/torch_nb201_supernet.py) and the
# DARTS search network (DartsSearchStepBenchmark vs shared/bench/torch_darts_search.py), and one training epoch of
# the small mobile chains on the shipped Fashion-MNIST (ChainEpochBenchmark vs bench/torch_chain_epoch.py).
# Prints, per mode, the median over rounds of each side's median step (chain: epoch) time and peak RSS, and the
# ratios nas4j / PyTorch. Step times are in milliseconds, epoch times in seconds (a header line per unit).
#
# Usage: bench/compare-pytorch.sh [MODE...]
#   MODE is nb201:fixed|single|mixed or darts:darts1|darts2|gdas|single; a bare fixed, single or mixed is
#   NAS-Bench-201, a bare darts1, darts2 or gdas is DARTS. Default: six (nb201:fixed nb201:single nb201:mixed
#   darts:darts1 darts:gdas darts:single); darts:darts2 (second-order DARTS) runs when named, and so do
#   chain:proxyless and chain:spos (one epoch of the small ProxylessNAS / SPOS chain; minutes each).
# Environment: ROUNDS (default 3), BENCH_ARGS (passed to both NAS-Bench-201 sides, e.g. "--steps 20 --warmup 5"),
#              DARTS_ARGS (passed to both DARTS sides; default "--batch 32 --layers 5 --steps 5 --warmup 2", the
#              network of issue 11's figures; the scripts' own defaults are batch 64, 8 layers),
#              CHAIN_ARGS (passed to both chain sides, e.g. "--batch 64 --epochs 1 --warmup 5 --arch random:3";
#              default: the scripts' defaults, batch 64, one epoch, 5 warm-up steps, the chain's default
#              architecture; the PyTorch side gets the architecture nas4j prints on its ARCH line, and the script
#              stops if the two sides' PARAMS differ), TORCH_CHAIN_SCRIPT (default bench/torch_chain_epoch.py),
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
torch_chain_script=${TORCH_CHAIN_SCRIPT:-bench/torch_chain_epoch.py}
chain_args=${CHAIN_ARGS:-}
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

header=
for spec in "${modes[@]}"; do
  case "$spec" in
    nb201:*|darts:*|chain:*) net=${spec%%:*}; mode=${spec#*:} ;;
    darts1|darts2|gdas) net=darts; mode=$spec ;;
    *) net=nb201; mode=$spec ;;
  esac
  unit=ms; digits=1
  if [ "$net" = chain ]; then
    case "$mode" in
      proxyless|spos) ;;
      *) echo "chain mode must be chain:proxyless or chain:spos, not $spec" >&2; exit 2 ;;
    esac
    main=org.nas4j.examples.ChainEpochBenchmark; script=$torch_chain_script; args="--chain $mode $chain_args"
    unit=s; digits=2
  elif [ "$net" = darts ]; then
    main=org.nas4j.examples.DartsSearchStepBenchmark; script=$torch_darts_script; args=$darts_args
  else
    main=org.nas4j.examples.Nb201StepBenchmark; script=$torch_script; args=$bench_args
  fi
  if [ "$header" != "$unit" ]; then
    printf '%-15s %12s %12s %7s %12s %12s %7s\n' mode "nas4j_$unit" "torch_$unit" ratio nas4j_MiB torch_MiB ratio
    header=$unit
  fi
  j_ms=(); t_ms=(); j_mb=(); t_mb=()
  if [ "$net" = chain ]; then
    echo "# $net:$mode: java -cp \$cp $main $args  |  $python $script $args --arch <nas4j's ARCH line>" >&2
  else
    echo "# $net:$mode: java -cp \$cp $main $mode $args  |  $python $script $mode $args" >&2
  fi
  for ((r = 0; r < rounds; r++)); do
    if [ "$net" = chain ]; then
      out=$(java -cp "$cp" "$main" $args 2>/dev/null)
      arch=$(echo "$out" | sed -n 's/^ARCH //p')
      j_params=$(echo "$out" | sed -n 's/^PARAMS //p')
    else
      out=$(java -cp "$cp" "$main" "$mode" $args 2>/dev/null)
    fi
    j_ms+=("$(echo "$out" | grep '^RESULT' | field median)")
    j_mb+=("$(echo "$out" | grep '^PEAK_RSS_MIB' | field PEAK_RSS_MIB)")
    if [ "$net" = chain ]; then
      out=$("$python" "$script" $args --arch "$arch" 2>/dev/null)
      t_params=$(echo "$out" | sed -n 's/^PARAMS //p')
      if [ -z "$j_params" ] || [ "$j_params" != "$t_params" ]; then
        echo "$net:$mode: the two networks differ: nas4j PARAMS '$j_params', torch PARAMS '$t_params' ($arch)" >&2
        exit 1
      fi
    else
      out=$("$python" "$script" "$mode" $args 2>/dev/null)
    fi
    t_ms+=("$(echo "$out" | grep '^RESULT' | field median)")
    t_mb+=("$(echo "$out" | grep '^PEAK_RSS_MIB' | field PEAK_RSS_MIB)")
    echo "# $net:$mode round $((r + 1)): nas4j ${j_ms[-1]} $unit ${j_mb[-1]} MiB," \
      "torch ${t_ms[-1]} $unit ${t_mb[-1]} MiB" >&2
  done
  jm=$(printf '%s\n' "${j_ms[@]}" | median); tm=$(printf '%s\n' "${t_ms[@]}" | median)
  jr=$(printf '%s\n' "${j_mb[@]}" | median); tr=$(printf '%s\n' "${t_mb[@]}" | median)
  printf "%-15s %12.${digits}f %12.${digits}f %7.2f %12.0f %12.0f %7.2f\n" "$net:$mode" "$jm" "$tm" \
    "$(echo "$jm / $tm" | bc -l)" "$jr" "$tr" "$(echo "$jr / $tr" | bc -l)"
done
