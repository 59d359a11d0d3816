#!/usr/bin/env bash
# Upscales the synthetic checkpoint with `kiln upscale` and copies the same folder with `cp -r`, and
# prints wall time, peak RSS, throughput and their ratio: the copy (synced to disk, as Kiln syncs
# each file it writes) is the floor an upscale, which writes every byte of the bigger model once,
# can approach. Peak RSS should stay flat whatever the layer count.
#
# Usage: Scripts/bench/upscale_benchmark.sh [WORK_DIR]
# Needs: Scripts/build-release.sh (or KILN=path/to/kiln) and numpy. The synthetic checkpoint
# (~0.9 GB, 24 layers) is made once in WORK_DIR (default .build/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
mkdir -p "$work"
kiln=${KILN:-.build/release/kiln}
[ -n "${KILN:-}" ] || Scripts/build-release.sh >/dev/null
model="$work/synthetic-430m"
[ -d "$model" ] || python3 Scripts/bench/make_synthetic_checkpoint.py "$model"

# Runs a command, prints "seconds peak_rss_kib".
measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log" || { cat "$work/last.log"; exit 1; }; cat "$work/time.txt"; }
# Bytes of the files in a folder.
size() { du -sb --apparent-size "$1" | cut -f1; }

printf "%-46s %10s %12s %10s %12s\n" run seconds peak_rss_MiB out_MiB MiB_per_s
sync; rm -rf "$work/copy"
read -r cs cr < <(measure sh -c 'cp -r "$1" "$2" && sync "$2"/*' _ "$model" "$work/copy")
cb=$(size "$work/copy")
printf "%-46s %10s %12d %10d %12.0f\n" "cp -r (24 layers)" "$cs" $((cr / 1024)) $((cb >> 20)) "$(python3 -c "print($cb/2**20/max($cs,1e-3))")"
for args in "--layers 32 --method solar" "--layers 32 --method identity" "--layers 48 --method interleave"; do
  sync; rm -rf "$work/upscaled"
  read -r ks kr < <(measure "$kiln" upscale "$model" -o "$work/upscaled" $args)
  kb=$(size "$work/upscaled")
  printf "%-46s %10s %12d %10d %12.0f\n" "kiln upscale $args" "$ks" $((kr / 1024)) $((kb >> 20)) "$(python3 -c "print($kb/2**20/max($ks,1e-3))")"
  python3 -c "print(f'  throughput {($kb/max($ks,1e-3))/($cb/max($cs,1e-3)):.2f}x that of cp -r; peak RSS {$kr/1024:.0f} MiB for a {$kb/2**20:.0f} MiB output')"
done
rm -rf "$work/copy" "$work/upscaled"
