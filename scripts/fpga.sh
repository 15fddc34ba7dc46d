#!/usr/bin/env bash
# `make fpga BOARD=icebreaker|hx8k`: the board top (fpga/<board>/) with the
# engine from rtl/ as it is now: yosys synth_ice40, nextpnr-ice40 with the
# board's clock as constraint, icepack. Prints utilization, the Fmax
# nextpnr reaches after routing (a line `fmax_mhz.<board> N`), and the
# bitstream's path. Fails when timing is not met at the board's clock, and
# on any yosys or nextpnr warning that is not waived below with a reason.
#
#   scripts/fpga.sh BOARD=icebreaker      (or: scripts/fpga.sh icebreaker)
#
# Outputs under build-fpga/<board>/ (FPGA_OUT to move them; never in git).
# RTL_DIR: another copy of rtl/ (default rtl/). FPGA_SGLLEN: the engine's
# SGLLEN on the board (default: the board's, below), when the RTL has that
# parameter. FPGA_CLK_MHZ: the clock constraint (default the board's 12 MHz).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

board="${BOARD:-}"
for a in "$@"; do
  case "$a" in
    BOARD=*) board="${a#BOARD=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    *) board="$a" ;;
  esac
done

# board: top, device, package, clock MHz, engine SGLLEN (when the RTL has it)
case "$board" in
  icebreaker) top=icebreaker_top dev=up5k pkg=sg48 clk_mhz=12 sgllen=1 ;;
  # hx8k: SGLLEN 4 places (82% of the cells) but nextpnr's router does not
  # converge with the register file of the command-block era; FPGA_SGLLEN=4 to try
  hx8k)       top=hx8k_top       dev=hx8k pkg=ct256 clk_mhz=12 sgllen=1 ;;
  "") echo "fpga: say which board: BOARD=icebreaker or BOARD=hx8k" >&2; exit 2 ;;
  *) echo "fpga: unknown board '$board' (icebreaker, hx8k)" >&2; exit 2 ;;
esac
pcf="fpga/$board/$board.pcf"
# FPGA_CLK_MHZ: constrain for another clock (a PLL's, or to see the check fail)
clk_mhz="${FPGA_CLK_MHZ:-$clk_mhz}"

for t in yosys nextpnr-ice40 icepack; do
  command -v "$t" >/dev/null 2>&1 || {
    echo "fpga: '$t' is not installed (apt-get install yosys nextpnr-ice40 fpga-icestorm)" >&2
    exit 1
  }
done

out="${FPGA_OUT:-$root/build-fpga}/$board"
mkdir -p "$out"
rtl_dir="${RTL_DIR:-rtl}"
shopt -s nullglob
srcs=("$rtl_dir"/*.v fpga/rtl/*.v "fpga/$board/$top.v")

# The engine's SGLLEN (issue 3) is set for the board only if the RTL has it
# (fpga/rtl/dma_board.v, DMA_SGLLEN): at its default the list alone
# outgrows the device.
defs=""
if yosys -q -p "read_verilog ${srcs[*]}; hierarchy -top dma_engine -chparam SGLLEN 1" >/dev/null 2>&1; then
  sgllen="${FPGA_SGLLEN:-$sgllen}"
  defs="-DDMA_SGLLEN=$sgllen"
  echo "fpga: engine SGLLEN $sgllen"
else
  echo "fpga: note: rtl/dma_engine.v has no parameter SGLLEN yet: the engine's defaults"
fi

# Waivers: extended regexps of warning lines that are not errors, each
# with its reason.
waivers=(
  # ABC's own note from the `scorr` step of yosys 0.23's ABC script: yosys
  # hands ABC the combinational logic only, so it says this on every design.
  '^ABC: Warning: The network is combinational \(run "fraig" or "fraig_sweep"\)\.$'
)
check_warnings() { # log what
  local filtered
  filtered="$(grep -E 'Warning' "$1" || true)"
  for w in "${waivers[@]}"; do
    filtered="$(printf '%s\n' "$filtered" | grep -v -E "$w" || true)"
  done
  filtered="$(printf '%s\n' "$filtered" | sed '/^$/d')"
  if [ -n "$filtered" ]; then
    printf '%s\n' "$filtered" >&2
    echo "fpga: $2 printed warnings (not waived): see $1" >&2
    exit 1
  fi
}

# -dffe_min_ce_use 4: a clock enable shared by fewer than 4 flip-flops
# becomes a LUT in front of a plain flip-flop. The 8 logic cells of an iCE40
# tile share one clock enable and one set/reset, so every small enable
# group takes a tile of its own; with the pipelined engine (~190 such
# groups) nextpnr's placer finds no legal placement at 90% of the UP5K, with
# this (~130 groups) it places and routes.
echo "fpga: $board ($dev-$pkg, $clk_mhz MHz): yosys synth_ice40"
if ! yosys -q -l "$out/yosys.log" \
    -p "read_verilog $defs ${srcs[*]}; synth_ice40 -dffe_min_ce_use 4 -top $top -json $out/$top.json; tee -q -o $out/yosys-stat.txt stat" \
    >/dev/null 2>&1; then
  tail -n 20 "$out/yosys.log" >&2
  echo "fpga: yosys failed" >&2
  exit 1
fi
check_warnings "$out/yosys.log" "yosys"

echo "fpga: nextpnr-ice40 --$dev --package $pkg --freq $clk_mhz"
# nextpnr fails by itself when the constraint is not met; the check below
# says so in a line of ours too
if ! nextpnr-ice40 "--$dev" --package "$pkg" --json "$out/$top.json" --pcf "$pcf" \
    --asc "$out/$top.asc" --freq "$clk_mhz" --seed 1 --log "$out/nextpnr.log" --quiet \
    >/dev/null 2>&1; then
  grep -E "ERROR|Max frequency" "$out/nextpnr.log" >&2 || tail -n 20 "$out/nextpnr.log" >&2
  if grep -qE "no BELs remaining|Failed to expand region|Unable to find legal placement" "$out/nextpnr.log"; then
    lc=$(grep -E "ICESTORM_LC:" "$out/nextpnr.log" | awk 'NR == 1' | sed -E 's/^Info:[[:space:]]+//' | tr -s ' \t' ' ')
    echo "fpga: the design does not fit the $dev: $lc" >&2
  elif grep -q "FAIL at" "$out/nextpnr.log"; then
    echo "fpga: timing NOT met at $clk_mhz MHz (the last Max frequency line is after routing)" >&2
  else
    echo "fpga: nextpnr-ice40 failed: see $out/nextpnr.log" >&2
  fi
  exit 1
fi
check_warnings "$out/nextpnr.log" "nextpnr-ice40"

# the last "Max frequency" line is the post-route one
fmax=$(grep -E "Max frequency for clock" "$out/nextpnr.log" | tail -n 1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
[ -n "$fmax" ] || { echo "fpga: no Max frequency in $out/nextpnr.log" >&2; exit 1; }

icepack "$out/$top.asc" "$out/$top.bin"

echo
echo "utilization ($dev-$pkg, after placement):"
awk '/Device utilisation:/ {p = 1; next}
     p && /^Info:[ \t]+[A-Za-z_0-9]+: / {
       sub(/^Info:[ \t]+/, ""); split($2, u, "/"); if (u[1] + 0 > 0) printf "  %-14s %s %s\n", $1, $2 $3, $4; next }
     p {exit}' \
  "$out/nextpnr.log"
echo
echo "fmax_mhz.$board $fmax"
echo "bitstream $out/$top.bin"
if awk -v f="$fmax" -v c="$clk_mhz" 'BEGIN { exit !(f < c) }'; then
  echo "fpga: timing NOT met: $fmax MHz < $clk_mhz MHz" >&2
  exit 1
fi
echo "timing met: $fmax MHz >= $clk_mhz MHz"
