#!/usr/bin/env bash
# The kernel-interface layer's unit tests under ThreadSanitizer: configure
# driver/ standalone (no Verilator or SystemC needed) with -fsanitize=thread
# in build-tsan/, build, run every test through CTest. Any data race fails.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TSAN_BUILD:-build-tsan}
JOBS=${JOBS:-2}
cmake -S driver -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"
cmake --build "$BUILD" -j "$JOBS"
# halt_on_error: the first race fails the test that raced, with its report.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
cd "$BUILD" && ctest --output-on-failure -j "$JOBS"
