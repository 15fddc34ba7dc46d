#!/usr/bin/env bash
# make waves TEST="<test name>": rerun one test with tracing, then open the
# dump in GTKWave with the committed save file when there is a display, or
# print the command that would.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
test_name=${1:-}
if [ -z "$test_name" ]; then
  echo "usage: make waves TEST=\"<test name>\"   (names: $build/tests --list-test-names-only)" >&2
  exit 2
fi
out=$(DMA_WAVES=1 SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$build/tests" "$test_name" 2>&1) || status=$?
echo "$out" | tail -n 3
fst=$(echo "$out" | sed -n 's/^waves: \(.*\.fst\) .*/\1/p' | head -n 1)
if [ -z "$fst" ] || [ ! -f "$fst" ]; then
  echo "waves: no dump was written: is \"$test_name\" a test name? ($build/tests --list-test-names-only)" >&2
  exit 1
fi
echo "waves: $fst"
if [ -n "${DISPLAY:-}" ] && command -v gtkwave >/dev/null; then
  gtkwave "$fst" waves/dma.gtkw >/dev/null 2>&1 &
else
  echo "open it with: gtkwave $fst waves/dma.gtkw"
fi
exit "${status:-0}"
