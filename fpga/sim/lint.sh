#!/usr/bin/env bash
# Lint the board layer (fpga/rtl/, fpga/<board>/) with the engine from rtl/:
# Verilator --lint-only -Wall (waivers, each with its reason, in
# fpga/sim/lint.vlt and verilated/lint.vlt) for both board tops and for
# dma_board with inferred host memory (as verilated for the pty tests); Icarus -g2005 -Wall (any output
# outside yosys's cells_sim.v fails). yosys's own check is scripts/fpga.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rtl_dir="${RTL_DIR:-rtl}"
cells=/usr/share/yosys/ice40/cells_sim.v
vlt=(verilated/lint.vlt fpga/sim/lint.vlt)

# Verilator sees the engine too; its warnings are scripts/lint-rtl.sh's to
# report (rtl/ may be mid-change under another issue), so this fails on an
# error anywhere and on a warning in fpga/ only.
vl() { # what, args...
  local what="$1" log
  shift
  log="$(verilator --lint-only -Wall -Wno-fatal "${vlt[@]}" "$@" 2>&1 || true)"
  if printf '%s\n' "$log" | grep -E '^%(Warning|Error)' | grep -v 'Exiting due to' |
       grep -E '^%Error|fpga/' >/dev/null; then
    printf '%s\n' "$log" >&2
    echo "fpga-lint: verilator ($what) found problems in fpga/ or an error" >&2
    exit 1
  fi
}
vl dma_board "$rtl_dir"/*.v fpga/rtl/*.v --top-module dma_board -GUSE_SPRAM=0
vl dma_board_pty "$rtl_dir"/*.v fpga/rtl/*.v --top-module dma_board -GUSE_SPRAM=0 \
  -GMEM_WORDS=32768 -GCLKS_PER_BIT=4 -GTIMEOUT=20000 -GDISK_BLOCKS=16
for top in icebreaker_top hx8k_top; do
  vl "$top" -DNO_ICE40_DEFAULT_ASSIGNMENTS -DBLACKBOX \
    "$rtl_dir"/*.v fpga/rtl/*.v "fpga/${top%_top}/$top.v" "$cells" --top-module "$top"
done
echo "OK verilator -Wall (dma_board, icebreaker_top, hx8k_top; fpga/ only)"

for top in icebreaker_top hx8k_top; do
  log="$(iverilog -g2005 -Wall -DNO_ICE40_DEFAULT_ASSIGNMENTS -o /dev/null "$rtl_dir"/*.v fpga/rtl/*.v \
    "fpga/${top%_top}/$top.v" "$cells" -s "$top" 2>&1 | grep -v "^$cells:" || true)"
  if [ -n "$log" ]; then
    printf '%s\n' "$log" >&2
    echo "fpga-lint: iverilog printed something for $top" >&2
    exit 1
  fi
done
echo "OK iverilog -g2005 -Wall (icebreaker_top, hx8k_top)"
