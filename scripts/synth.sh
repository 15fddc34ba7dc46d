#!/usr/bin/env bash
# `make synth`: yosys synthesis of the engine alone (rtl/, top dma_engine)
# for iCE40 (synth_ice40) and Xilinx 7-series (synth_xilinx -flatten), at
# DATA_WIDTH 32 and 64 x SGLLEN 4 and 16 (and SGLLEN 16 without the
# command-block queue, QUEUE_DEPTH 0), then nextpnr-ice40 place and route
# of the engine alone on the UP5K at its default parameters (if it does not
# fit: SGLLEN 4, then 1, then 1 with QUEUE_DEPTH 0, then the same on the HX8K, each said in a note).
#
# Prints a table, then one `name value` line per figure for scripts:
#   luts.xilinx.dw32_sg16 N   ffs.xilinx.dw32_sg16 N   lutram.xilinx... N
#   brams.xilinx... N         carry.xilinx... N
#   luts.ice40.dw32_sg16 N    ffs.ice40... N   brams.ice40... N   carry.ice40... N
#   fmax_mhz.engine_up5k N   (or fmax_mhz.engine_hx8k N, with a note)
# A configuration whose parameter does not exist in the RTL (SGLLEN before
# issue 3 lands) is skipped with a note; the DATA_WIDTH figures are then
# named dwNN (the RTL's own SGLLEN default, none).
#
# Any yosys or nextpnr "Warning" fails, unless waived below with a reason.
#
# Options: --no-pnr (skip place and route), --only dw32_sg4 (one config),
# --modules (also synthesize without flattening and print each module's
# figures: `luts.xilinx.dw32_sg16.dma_mm2s N`, `ffs...`, `luts.ice40...`;
# each module definition once, so dma_addr_gen and dma_burst_len count one
# of their two instances and dma_skid its two widths together;
# cross-module optimization is lost, so they add up to a little more than
# the flat figures).
# Outputs under build-fpga/synth/ (SYNTH_OUT to move them; never in git).
# RTL_DIR: another copy of rtl/ (default rtl/, as it is when this runs).
# Runs one tool at a time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${SYNTH_OUT:-$root/build-fpga/synth}"
mkdir -p "$out"
rm -rf "$out"/dw*

pnr=1
only=""
modules=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-pnr) pnr=0 ;;
    --only) only="$2"; shift ;;
    --modules) modules=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#'; exit 0 ;;
    *) echo "synth: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "synth: '$1' is not installed (apt-get install ${2:-$1})" >&2
    exit 1
  }
}
need yosys
need python3
[ "$pnr" = 1 ] && need nextpnr-ice40 nextpnr-ice40

shopt -s nullglob
# RTL_DIR: another copy of the RTL (default rtl/, as it is when this runs)
rtl_dir="${RTL_DIR:-rtl}"
srcs=("$rtl_dir"/*.v)
[ ${#srcs[@]} -gt 0 ] || { echo "synth: no $rtl_dir/*.v" >&2; exit 1; }
top=dma_engine

# Waivers: extended regexps of warning lines that are not errors, each with
# its reason. Everything else that says "Warning" fails the run.
waivers=(
  # ABC's own note from the `scorr` step of yosys 0.23's ABC script: yosys
  # hands ABC the combinational logic only, so it says this on every design.
  '^ABC: Warning: The network is combinational \(run "fraig" or "fraig_sweep"\)\.$'
)
check_warnings() { # log what
  local log="$1" what="$2" filtered
  filtered="$(grep -E 'Warning' "$log" || true)"
  for w in "${waivers[@]}"; do
    filtered="$(printf '%s\n' "$filtered" | grep -v -E "$w" || true)"
  done
  filtered="$(printf '%s\n' "$filtered" | sed '/^$/d')"
  if [ -n "$filtered" ]; then
    printf '%s\n' "$filtered" >&2
    echo "synth: $what printed warnings (not waived): see $log" >&2
    exit 1
  fi
}

# Does the RTL's top have this parameter? Ask yosys rather than grep.
has_param() {
  yosys -q -p "read_verilog ${srcs[*]}; hierarchy -top $top -chparam $1 1" \
    >/dev/null 2>&1
}
sgl=1
if ! has_param SGLLEN; then
  sgl=0
  echo "note: $rtl_dir/$top.v has no parameter SGLLEN yet: the SGLLEN 4/16 configurations are skipped;"
  echo "note: figures are per DATA_WIDTH, at the RTL's own default (named dw32, dw64)."
fi

configs=()
for dw in 32 64; do
  if [ "$sgl" = 1 ]; then
    for sg in 4 16; do configs+=("dw${dw}_sg${sg}:DATA_WIDTH=$dw SGLLEN=$sg"); done
    # without the command-block queue (issue 3's QUEUE_DEPTH 0), when the RTL has it
    if has_param QUEUE_DEPTH; then
      configs+=("dw${dw}_sg16_q0:DATA_WIDTH=$dw SGLLEN=16 QUEUE_DEPTH=0")
    fi
  else
    configs+=("dw${dw}:DATA_WIDTH=$dw")
  fi
done

# count TYPE... in a `stat` text output: the whole design's figures (a
# module kept with keep_hierarchy, dma_cut, is not flattened: then `stat`
# lists each module and the design's totals under "design hierarchy",
# which are the ones counted)
count() { # file regex
  awk -v re="$2" '
    /^=== design hierarchy ===/ { n = 0 }
    $1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 }
    END { print n + 0 }' "$1"
}

declare -A fig
names=()
for c in "${configs[@]}"; do
  name="${c%%:*}"
  params="${c#*:}"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  names+=("$name")
  chp=""
  for p in $params; do chp+=" -chparam ${p%%=*} ${p#*=}"; done
  for target in ice40 xilinx; do
    d="$out/$name"
    mkdir -p "$d"
    log="$d/$target.log"
    if [ "$target" = ice40 ]; then
      cmd="synth_ice40 -top $top"
    else
      cmd="synth_xilinx -flatten -top $top"
    fi
    if ! yosys -q -l "$log" -p "read_verilog ${srcs[*]}; hierarchy -top $top$chp; $cmd; tee -q -o $d/$target.stat stat" \
        >"$d/$target.out" 2>&1; then
      tail -n 20 "$log" "$d/$target.out" >&2 2>/dev/null || true
      echo "synth: yosys $target failed for $name ($params)" >&2
      exit 1
    fi
    check_warnings "$log" "yosys $target ($name)"
    st="$d/$target.stat"
    if [ "$target" = ice40 ]; then
      fig[luts.ice40.$name]=$(count "$st" '^SB_LUT4$')
      fig[ffs.ice40.$name]=$(count "$st" '^SB_DFF')
      fig[brams.ice40.$name]=$(count "$st" '^SB_RAM40_4K')
      fig[carry.ice40.$name]=$(count "$st" '^SB_CARRY$')
    else
      # LUTs: LUT1..LUT6 and INV (an inverter is a LUT1 on the device)
      fig[luts.xilinx.$name]=$(count "$st" '^(LUT[1-6]|INV)$')
      fig[lutram.xilinx.$name]=$(count "$st" '^(RAM(16|32|64|128|256)X|RAM32M|RAM64M|SRL)')
      fig[ffs.xilinx.$name]=$(count "$st" '^FD[RSCP]E$')
      fig[brams.xilinx.$name]=$(count "$st" '^RAMB(18|36)E1$')
      fig[carry.xilinx.$name]=$(count "$st" '^CARRY4$')
    fi
  done
done

# per module: the same synthesis without flattening; `stat` then lists each
# module (a $paramod name for a parameterized one) with its own cells
if [ "$modules" = 1 ]; then
  for n in "${names[@]}"; do
    for c in "${configs[@]}"; do [ "${c%%:*}" = "$n" ] && params="${c#*:}"; done
    chp=""
    for p in $params; do chp+=" -chparam ${p%%=*} ${p#*=}"; done
    for target in ice40 xilinx; do
      d="$out/$n"
      if [ "$target" = ice40 ]; then cmd="synth_ice40 -noflatten -top $top"; else cmd="synth_xilinx -top $top"; fi
      if ! yosys -q -l "$d/$target-modules.log" -p "read_verilog ${srcs[*]}; hierarchy -top $top$chp; $cmd; tee -q -o $d/$target-modules.stat stat" \
          >"$d/$target-modules.out" 2>&1; then
        tail -n 20 "$d/$target-modules.log" >&2 || true
        echo "synth: yosys $target (modules) failed for $n" >&2
        exit 1
      fi
      check_warnings "$d/$target-modules.log" "yosys $target modules ($n)"
      while read -r m lut ff; do
        fig[luts.$target.$n.$m]=$lut
        fig[ffs.$target.$n.$m]=$ff
      done < <(awk -v T="$target" '
        /^=== / { m = $2; sub(/^[^\\]*\\/, "", m); sub(/\\.*/, "", m); next }
        T == "xilinx" && $1 ~ /^(LUT[1-6]|INV)$/ { lut[m] += $2 }
        T == "xilinx" && $1 ~ /^FD[RSCP]E$/ { ff[m] += $2 }
        T == "ice40" && $1 == "SB_LUT4" { lut[m] += $2 }
        T == "ice40" && $1 ~ /^SB_DFF/ { ff[m] += $2 }
        /^ +Number of cells:/ { seen[m] = 1 }
        END { for (k in seen) if (k != "design") printf "%s %d %d\n", k, lut[k], ff[k] }' "$d/$target-modules.stat")
    done
  done
fi

echo
echo "dma_engine, yosys $(yosys -V | awk '{print $2}'): synth_xilinx -flatten (7-series), synth_ice40"
printf '%-12s | %6s %7s %6s %6s %6s | %6s %6s %6s %6s\n' \
  config "x.LUT" "x.LUTRAM" "x.FF" "x.BRAM" "x.CARRY4" "i.LUT4" "i.FF" "i.EBR" "i.CARRY"
printf '%s\n' "-------------+--------------------------------------------+----------------------------"
for n in "${names[@]}"; do
  printf '%-12s | %6s %7s %6s %6s %6s | %6s %6s %6s %6s\n' "$n" \
    "${fig[luts.xilinx.$n]}" "${fig[lutram.xilinx.$n]}" "${fig[ffs.xilinx.$n]}" \
    "${fig[brams.xilinx.$n]}" "${fig[carry.xilinx.$n]}" \
    "${fig[luts.ice40.$n]}" "${fig[ffs.ice40.$n]}" "${fig[brams.ice40.$n]}" "${fig[carry.ice40.$n]}"
done
printf '%-12s | %6s %7s %6s %6s %6s |\n' "axi_dma*" "~1140" "29" "-" "-" "-"
echo "* reference: alexforencich/verilog-axi axi_dma with unaligned support, same widths,"
echo "  yosys 0.23 synth_xilinx (figure from issue 8, not measured here)"
echo

# Engine alone on the UP5K: default parameters, inside a shift-chain harness
# (fpga/timing/gen_harness.py) so its 470 ports fit the package's pins.
if [ "$pnr" = 1 ]; then
  d="$out/engine_up5k"
  rm -rf "$d"
  mkdir -p "$d"
  # default parameters first; if the engine does not fit the UP5K that way,
  # SGLLEN 4, then 1, then the iCEBreaker's engine (SGLLEN 1 without the
  # command-block queue); if none fits, the HX8K
  # (same fabric, 7680 cells) so that there is a figure; each said in a note
  tries=("up5k:sg48:DATA_WIDTH=32")
  [ "$sgl" = 1 ] && tries+=("up5k:sg48:DATA_WIDTH=32 SGLLEN=4" "up5k:sg48:DATA_WIDTH=32 SGLLEN=1")
  # then without the command-block queue, when the RTL has one
  q0=0
  has_param QUEUE_DEPTH && q0=1
  # (exactly as the iCEBreaker board instantiates it, fpga/rtl/dma_board.v:
  # LEN_WIDTH 18, the RAM disk's longest command; with 32-bit lengths it
  # is ~86% of the UP5K, where nextpnr's placer does not finish)
  [ "$q0" = 1 ] && tries+=("up5k:sg48:DATA_WIDTH=32 SGLLEN=1 QUEUE_DEPTH=0 LEN_WIDTH=18")
  if [ "$sgl" = 1 ]; then
    tries+=("hx8k:ct256:DATA_WIDTH=32 SGLLEN=4" "hx8k:ct256:DATA_WIDTH=32 SGLLEN=1")
    [ "$q0" = 1 ] && tries+=("hx8k:ct256:DATA_WIDTH=32 SGLLEN=1 QUEUE_DEPTH=0")
  else
    tries+=("hx8k:ct256:DATA_WIDTH=32")
  fi
  fmax=""
  fo="$out/engine_up5k.fmax.out"     # outside $d: fmax.sh empties $d first
  for t in "${tries[@]}"; do
    dev="${t%%:*}"; rest="${t#*:}"; pkg="${rest%%:*}"; dparams="${rest#*:}"
    [ "$dev" = hx8k ] && echo "note: trying the HX8K instead (fmax_mhz.engine_hx8k), $dparams"
    # the engine in the shift-chain harness, yosys and nextpnr: fpga/timing/fmax.sh
    rc=0
    FMAX_OUT="$d" RTL_DIR="$rtl_dir" fpga/timing/fmax.sh --dev "$dev" "$top" $dparams >"$fo" 2>&1 || rc=$?
    if [ "$rc" = 0 ]; then
      fmax=$(awk '$1 == "fmax_mhz" {print $2}' "$fo")
      break
    fi
    if [ "$rc" = 3 ]; then
      echo "note: the engine ($dparams, RTL defaults otherwise) in the harness does not fit the ${dev^^}: $(sed -E 's/.*: //' "$fo")"
      cp "$d/nextpnr.log" "$out/nextpnr-nofit-$dev-$(echo "$dparams" | tr ' =' '_-').log"
      continue
    fi
    cat "$fo" >&2; echo "synth: fpga/timing/fmax.sh failed (engine, $dev)" >&2; exit 1
  done
  if [ -z "$fmax" ]; then
    echo "note: no configuration tried fits: no fmax_mhz.engine_* figure"
  else
    fig[fmax_mhz.engine_$dev]=$fmax
    util=$(grep -E "ICESTORM_LC:|ICESTORM_RAM:" "$d/nextpnr.log" | awk 'NR <= 2' | sed -E 's/^Info:[[:space:]]+//' | tr -s ' \t' ' ' | paste -sd ';' -)
    echo "engine alone on the ${dev^^} ($pkg), $dparams, in the harness: Fmax $fmax MHz (target 50); $util"
    awk -v f="$fmax" 'BEGIN { exit !(f < 50) }' && echo "note: below the 50 MHz target"
    # the critical path's end points, for whoever makes it faster
    cp=$(awk '$1 == "critical_path" {$1 = ""; sub(/^ /, ""); print}' "$fo")
    [ -n "$cp" ] && echo "critical path: $cp (full report: $d/nextpnr.log; fpga/timing/fmax.sh --paths for each hop)"
  fi
  echo
fi

for k in $(printf '%s\n' "${!fig[@]}" | sort); do
  echo "$k ${fig[$k]}"
done
