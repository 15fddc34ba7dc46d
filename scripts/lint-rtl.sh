#!/usr/bin/env bash
# Lint the synthesizable RTL in rtl/ with every tool the project has:
#   1. Verilator --lint-only -Wall (waivers only in verilated/lint.vlt),
#      at DATA_WIDTH 32, 64 and 128, once with ADDR_WIDTH 64 and once
#      without the command-block queue (QUEUE_DEPTH 0);
#   2. Icarus Verilog -g2005 -Wall: any output at all is a failure;
#   3. Yosys synth_ice40 and synth_xilinx: any line with "Warning" fails.
# Prints one OK line per tool; on failure, what failed and why.
# Runs one tool at a time (no parallel jobs) and from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "lint-rtl: '$1' is not installed: run 'make deps'" >&2
    exit 1
  }
}

shopt -s nullglob
srcs=(rtl/*.v)
if [ ${#srcs[@]} -eq 0 ]; then
  echo "lint-rtl: no rtl/*.v to lint" >&2
  exit 1
fi
top=dma_engine

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Verilator. -Wall warnings are fatal, so the exit status says it all.
need verilator
for params in "-GDATA_WIDTH=32" "-GDATA_WIDTH=64" "-GDATA_WIDTH=128" "-GADDR_WIDTH=64" "-GQUEUE_DEPTH=0"; do
  if ! verilator --lint-only -Wall verilated/lint.vlt "${srcs[@]}" --top-module "$top" "$params" \
      >"$tmp/verilator.log" 2>&1; then
    cat "$tmp/verilator.log" >&2
    echo "lint-rtl: verilator failed ($params)" >&2
    exit 1
  fi
done
echo "OK verilator -Wall (DATA_WIDTH 32, 64, 128; ADDR_WIDTH 64; QUEUE_DEPTH 0)"

# 2. Icarus. It warns without failing, so any output fails.
need iverilog
status=0
iverilog -g2005 -Wall -o /dev/null "${srcs[@]}" -s "$top" >"$tmp/iverilog.log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || [ -s "$tmp/iverilog.log" ]; then
  cat "$tmp/iverilog.log" >&2
  echo "lint-rtl: iverilog failed (status $status, or it printed something)" >&2
  exit 1
fi
echo "OK iverilog -g2005 -Wall"

# 3. Yosys. The one line let through is not Yosys's but the ABC binary's:
# Yosys hands ABC the combinational logic only (flip-flops stay in Yosys),
# and the `scorr` step of Yosys's own ABC script then says so on every
# design that has any LUT logic. It says nothing about the RTL.
need yosys
abc_note='^ABC: Warning: The network is combinational \(run "fraig" or "fraig_sweep"\)\.$'
for target in synth_ice40 synth_xilinx; do
  log="$tmp/$target.log"
  if ! yosys -q -l "$log" -p "read_verilog ${srcs[*]}; $target -top $top" >/dev/null 2>&1; then
    tail -n 30 "$log" >&2 || true
    echo "lint-rtl: yosys $target failed" >&2
    exit 1
  fi
  if grep -v -E "$abc_note" "$log" | grep -q "Warning"; then
    grep -v -E "$abc_note" "$log" | grep "Warning" >&2
    echo "lint-rtl: yosys $target printed warnings" >&2
    exit 1
  fi
done
echo "OK yosys synth_ice40, synth_xilinx (no warnings)"
