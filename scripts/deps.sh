#!/usr/bin/env bash
# Install what the project needs from Debian's packages, if it is missing.
# Fast when everything is there: it only asks dpkg.
set -euo pipefail

packages=(
  build-essential cmake pkg-config python3
  verilator libsystemc-dev catch2
  iverilog yosys
)
# `deps.sh fpga`: the place-and-route tools too (make synth, make fpga).
if [ "${1:-}" = fpga ]; then
  packages+=(nextpnr-ice40 fpga-icestorm)
fi
# Optional: gtkwave only for `make waves` with a display.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
