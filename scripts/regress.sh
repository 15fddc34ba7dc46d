#!/usr/bin/env bash
# make regress SEEDS=N: the random workload and the [random] tests over
# seeds 1..N, in parallel under CTest, with a JUnit report; prints each
# failing seed with the command that replays it. Sharding across machines
# is CTest's own: pass CTEST_ARGS="-I start,end,stride".
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
seeds=${1:-20}
case "$seeds" in ''|*[!0-9]*) echo "regress: SEEDS must be a number, not '$seeds'" >&2; exit 2;; esac
cmake -S . -B "$build" -DREGRESS_SEEDS="$seeds" >/dev/null
cmake --build "$build" -j "${JOBS:-2}"
status=0
(cd "$build" && ctest -L regress -j "${JOBS:-2}" --output-junit regress.xml ${CTEST_ARGS:-}) || status=$?
echo "JUnit report: $build/regress.xml"
failed="$build/Testing/Temporary/LastTestsFailed.log"
if [ "$status" -ne 0 ] && [ -f "$failed" ]; then
  echo "failing seeds (replay each with the command shown):"
  sed 's/^[0-9]*://' "$failed" | while read -r name; do
    seed=${name##*.}
    case "$name" in
      regress.dmasim.queued.*) echo "  seed $seed: $build/dmasim --mode queued --seed $seed --ios 300 --threads 3 --mem-stall light --disk-stall light --fail-pct 3";;
      regress.dmasim.*) echo "  seed $seed: $build/dmasim --seed $seed --ios 300 --threads 3 --mem-stall light --disk-stall light --fail-pct 3";;
      regress.random.*) echo "  seed $seed: DMA_SEED=$seed $build/tests \"[random]\"";;
      *) echo "  $name";;
    esac
  done
fi
exit "$status"
