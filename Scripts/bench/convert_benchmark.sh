#!/usr/bin/env bash
# Converts the same checkpoints with Kiln and with llama.cpp's convert_hf_to_gguf.py, side by side,
# and prints wall time, peak RSS and ratios, plus a plain copy of the same bytes as the floor.
#
# Usage: Scripts/bench/convert_benchmark.sh [WORK_DIR]
# Needs: Scripts/build-release.sh (kiln), Scripts/oracle/build_llama_cpp.sh (the converter) and the
# Python packages of Scripts/fixtures/requirements.txt. The synthetic checkpoint (~0.9 GB) is made
# once in WORK_DIR (default .build/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
mkdir -p "$work"
kiln=.build/release/kiln
llama=.oracle/llama.cpp
Scripts/build-release.sh >/dev/null
[ -d "$work/synthetic-430m" ] || python3 Scripts/bench/make_synthetic_checkpoint.py "$work/synthetic-430m"

# Runs a command, prints "seconds peak_rss_kib".
measure() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/last.log" || { cat "$work/last.log"; exit 1; }; cat "$work/time.txt"; }

printf "%-16s %-12s %10s %12s\n" model tool seconds peak_rss_MiB
for model in Fixtures/tiny-pixtral "$work/synthetic-430m"; do
  name=$(basename "$model")
  sync; rm -f "$work"/*.gguf
  read -r ks kr < <(measure "$kiln" convert "$model" -o "$work/kiln.gguf")
  read -r ps pr < <(PYTHONPATH=$llama/gguf-py KILN_ACCEPT_ANY_HASH=1 \
      measure python3 Scripts/oracle/make_convert_goldens.py --_child "$model" --outfile "$work/llama.gguf" --outtype auto)
  bytes=$(cat "$model"/*.safetensors | wc -c)
  read -r cs cr < <(measure sh -c "cat $model/*.safetensors > $work/copy.bin")
  cmp -s "$work/kiln.gguf" "$work/llama.gguf" && same="identical" || same="DIFFERENT"
  largest=$(python3 -c "import json,sys,glob,struct
m=0
for p in glob.glob('$model/*.safetensors'):
    f=open(p,'rb'); n=struct.unpack('<Q',f.read(8))[0]; h=json.loads(f.read(n))
    m=max([m]+[v['data_offsets'][1]-v['data_offsets'][0] for k,v in h.items() if k!='__metadata__'])
print(m)")
  printf "%-16s %-12s %10s %12d\n" "$name" kiln "$ks" $((kr / 1024))
  printf "%-16s %-12s %10s %12d\n" "$name" llama.cpp "$ps" $((pr / 1024))
  printf "%-16s %-12s %10s %12d\n" "$name" "cat (copy)" "$cs" $((cr / 1024))
  python3 -c "
ks,ps,cs,kr=$ks,$ps,$cs,$kr
print(f'  {\"$name\"}: kiln is {ps/max(ks,1e-3):.1f}x faster than convert_hf_to_gguf.py, {ks/max(cs,1e-3):.2f}x the time of a plain copy of $bytes bytes; outputs $same')
print(f'  peak RSS {kr/1024:.0f} MiB vs largest tensor {$largest/2**20:.0f} MiB x threads + 100 MiB = {$largest*$(nproc)/2**20+100:.0f} MiB')"
done
rm -f "$work"/*.gguf "$work/copy.bin"
