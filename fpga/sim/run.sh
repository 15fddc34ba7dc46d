#!/usr/bin/env bash
# Regression of the board top (fpga/rtl/dma_board.v with the engine from
# rtl/, SPRAM and EBR as iCE40 primitives from yosys's cells_sim.v), driven
# through its simulated UART only: fpga/sim/tb_board.v on Icarus Verilog.
#
#   fpga/sim/run.sh              # a fresh random seed, printed
#   DMA_SEED=42 fpga/sim/run.sh  # replay one
#   VCD=1 ...                    # dump build-fpga/sim/tb_board.vcd
#
# Exit status 0 only when the bench prints PASS. Build output goes under
# build-fpga/sim (override with FPGA_SIM_OUT). RTL_DIR: another copy of rtl/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${FPGA_SIM_OUT:-$root/build-fpga/sim}"
rtl_dir="${RTL_DIR:-$root/rtl}"
cells=/usr/share/yosys/ice40/cells_sim.v
mkdir -p "$out"

for t in iverilog vvp; do
  command -v "$t" >/dev/null || { echo "fpga-sim: '$t' is not installed (apt-get install iverilog)" >&2; exit 1; }
done
[ -f "$cells" ] || { echo "fpga-sim: $cells missing (apt-get install yosys)" >&2; exit 1; }

# the engine's SGLLEN as on the iCEBreaker (scripts/fpga.sh), if the RTL has it
defs=()
if command -v yosys >/dev/null &&
   yosys -q -p "read_verilog $rtl_dir/*.v; hierarchy -top dma_engine -chparam SGLLEN 1" >/dev/null 2>&1; then
  defs=(-DDMA_SGLLEN=1)
fi

seed="${DMA_SEED:-$(( (RANDOM << 15 | RANDOM) % 2147483647 ))}"

# -g2005 as the RTL. cells_sim.v gives some ports default values, which
# Verilog-2005 does not have: NO_ICE40_DEFAULT_ASSIGNMENTS leaves them out
# (every port of the cells used here is connected).
iverilog -g2005 -DNO_ICE40_DEFAULT_ASSIGNMENTS "${defs[@]}" -o "$out/tb_board.vvp" -s tb_board \
  "$root/fpga/sim/tb_board.v" "$root"/fpga/rtl/*.v "$rtl_dir"/*.v "$cells" \
  >"$out/iverilog.log" 2>&1 || { cat "$out/iverilog.log" >&2; echo "fpga-sim: iverilog failed" >&2; exit 1; }

args=(+seed="$seed")
[ -n "${VCD:-}" ] && args+=(+vcd)
cd "$out"
vvp -n "$out/tb_board.vvp" "${args[@]}" | tee "$out/tb_board.log"
grep -q '^PASS tb_board' "$out/tb_board.log" && ! grep -q '^FAIL' "$out/tb_board.log"
