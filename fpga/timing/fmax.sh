#!/usr/bin/env bash
# Fmax of one RTL module alone on an iCE40: the module in the shift-chain
# harness (gen_harness.py: every input from a flip-flop, every output into
# one), yosys synth_ice40, nextpnr-ice40 --freq 50 (a measurement, not a
# gate: --timing-allow-fail). scripts/synth.sh uses it for
# fmax_mhz.engine_up5k; it is also the tool for making one module faster.
#
#   fpga/timing/fmax.sh [--dev up5k|hx8k] [--seed N] [--paths] MODULE [PARAM=VALUE ...]
#
# Prints `fmax_mhz N`, `cells N/M`, and `critical_path SRC -> SINK`; with
# --paths, the critical path's nets hop by hop (the whole report is in
# the nextpnr log). Exit 0 with a figure; 3 when the module does not fit
# the device (or nextpnr finds no placement in FMAX_PNR_TIMEOUT seconds,
# default 900); 1 on a tool failure or any yosys/nextpnr warning outside
# the waivers of scripts/synth.sh.
# Outputs in FMAX_OUT (default build-fpga/fmax/MODULE). RTL_DIR: another
# copy of rtl/ (default rtl/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

dev=up5k
seed=1
paths=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dev) dev="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --paths) paths=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    -*) echo "fmax: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] || { echo "fmax: say which module" >&2; exit 2; }
module="$1"; shift
params="$*"
case "$dev" in
  up5k) pkg=sg48 ;;
  hx8k) pkg=ct256 ;;
  *) echo "fmax: unknown device '$dev' (up5k, hx8k)" >&2; exit 2 ;;
esac

rtl_dir="${RTL_DIR:-rtl}"
srcs=("$rtl_dir"/*.v)
d="${FMAX_OUT:-$root/build-fpga/fmax/$module}"
rm -rf "$d"
mkdir -p "$d"

# the same waivers as scripts/synth.sh: ABC's note on every design
waiver='^ABC: Warning: The network is combinational \(run "fraig" or "fraig_sweep"\)\.$'
check_warnings() { # log what
  local w
  w="$(grep -E 'Warning' "$1" | grep -v -E "$waiver" || true)"
  if [ -n "$w" ]; then
    printf '%s\n' "$w" >&2
    echo "fmax: $2 printed warnings: see $1" >&2
    exit 1
  fi
}

chp=""
for p in $params; do chp+=" -chparam ${p%%=*} ${p#*=}"; done
yosys -q -l "$d/ports.log" -p "read_verilog ${srcs[*]}; hierarchy -top $module$chp; proc; write_json $d/ports.json" \
  >"$d/ports.out" 2>&1 || { tail -n 20 "$d/ports.log" "$d/ports.out" >&2 2>/dev/null || true; echo "fmax: yosys (ports) failed" >&2; exit 1; }
python3 fpga/timing/gen_harness.py "$d/ports.json" "$module" "$params" >"$d/harness.v"
# -dffe_min_ce_use 4 as scripts/fpga.sh (small clock-enable groups each
# take an iCE40 tile; without it nextpnr may find no legal placement)
yosys -q -l "$d/yosys.log" -p "read_verilog ${srcs[*]} $d/harness.v; synth_ice40 -dffe_min_ce_use 4 -top timing_harness -json $d/harness.json" \
  >"$d/yosys.out" 2>&1 || { tail -n 20 "$d/yosys.log" "$d/yosys.out" >&2 2>/dev/null || true; echo "fmax: yosys (harness) failed" >&2; exit 1; }
check_warnings "$d/yosys.log" "yosys synth_ice40"

# nextpnr under a time limit: near the top of the device its analytic
# placer can search for a legal placement for hours (FMAX_PNR_TIMEOUT s)
rc=0
timeout "${FMAX_PNR_TIMEOUT:-900}" nextpnr-ice40 "--$dev" --package "$pkg" --json "$d/harness.json" --pcf "fpga/timing/harness_$dev.pcf" \
    --asc "$d/harness.asc" --freq 50 --timing-allow-fail --seed "$seed" --log "$d/nextpnr.log" --quiet \
    >/dev/null 2>&1 || rc=$?
if [ "$rc" != 0 ]; then
  if [ "$rc" = 124 ]; then
    lc=$(grep -E "ICESTORM_LC:" "$d/nextpnr.log" | awk 'NR == 1' | sed -E 's/^Info:[[:space:]]+//' | tr -s ' \t' ' ')
    echo "fmax: $module ($params) found no placement on the ${dev^^} in ${FMAX_PNR_TIMEOUT:-900} s: $lc"
    exit 3
  fi
  if grep -qE "no BELs remaining|Failed to expand region|Unable to find legal placement" "$d/nextpnr.log"; then
    lc=$(grep -E "ICESTORM_LC:" "$d/nextpnr.log" | awk 'NR == 1' | sed -E 's/^Info:[[:space:]]+//' | tr -s ' \t' ' ')
    echo "fmax: $module ($params) does not fit the ${dev^^}: $lc"
    exit 3
  fi
  tail -n 20 "$d/nextpnr.log" >&2
  echo "fmax: nextpnr-ice40 failed ($module, $dev)" >&2
  exit 1
fi
# nextpnr's only warnings here are the timing FAIL lines (a measurement)
grep -E 'Warning' "$d/nextpnr.log" | grep -v -E 'Max frequency for clock|FAIL at' >&2 && {
  echo "fmax: nextpnr printed warnings: see $d/nextpnr.log" >&2; exit 1; }

# the last "Max frequency" line is the post-route one
fmax=$(grep -E "Max frequency for clock" "$d/nextpnr.log" | tail -n 1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
lc=$(grep -E "ICESTORM_LC:" "$d/nextpnr.log" | awk 'NR == 1' | sed -E 's/^Info:[[:space:]]+ICESTORM_LC:[[:space:]]+//; s/[[:space:]]+/ /g')
echo "fmax_mhz $fmax"
echo "cells $lc"
n=$(grep -n "Critical path report for clock" "$d/nextpnr.log" | tail -n 1 | cut -d: -f1)
if [ -n "$n" ]; then
  # awk reads the log itself: an early exit in a pipe is a SIGPIPE under pipefail
  src=$(awk -v n="$n" 'NR > n && /Source / {print; exit}' "$d/nextpnr.log" | sed -E 's/.*Source ([^ ]+).*/\1/')
  snk=$(awk -v n="$n" 'NR > n && /Critical path report|Max frequency/ {exit} NR > n && /Sink / {l = $0} END {print l}' "$d/nextpnr.log" | sed -E 's/.*Sink ([^ ]+).*/\1/')
  echo "critical_path $src -> $snk"
  if [ "$paths" = 1 ]; then
    awk -v n="$n" 'NR > n && /Critical path report|Max frequency/ {exit}
      NR > n && /Source / {print "  " $2, $3, $5}' "$d/nextpnr.log"
  fi
fi
echo "log $d/nextpnr.log"
