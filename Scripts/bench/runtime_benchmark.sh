#!/usr/bin/env bash
# Runtime speed of Kiln against llama.cpp's llama-bench on the same GGUF files and thread count:
#   pp  — prompt processing: `kiln generate` on a ~512-token prompt vs llama-bench -p (that length)
#   tg  — generation: 128 tokens after a one-token prompt vs llama-bench -n 128 (tg128)
# for F16, Q8_0, Q4_K_M and Q6_K of a synthetic 12-layer Llama model (hidden 1024, FFN 4096,
# vocabulary 32768: ~240M parameters, 150–480 MB per file). Prints tokens/s (mean of REPS runs)
# and Kiln/llama.cpp ratios. Other work on the machine skews both sides: run it on a quiet machine.
#
# Per family (issue 13), the same rows for:
#   - synthetic models of the same size in other layouts (KILN_BENCH_FAMILIES, default "qwen3 phi3":
#     make_synthetic_checkpoint.py --family; types KILN_BENCH_FAMILY_TYPES, default "F16 Q8_0 Q4_K_M");
#   - the real Gemma 3 270M (262k vocabulary, head size 256, GELU) from GEMMA3_DIR (default
#     ~/.cache/kiln-gemma3/e2e: kiln-F16.gguf, kiln-Q8_0.gguf, kiln-Q4_K_M.gguf, as written by
#     Scripts/oracle/gemma3_270m_end_to_end.py); skipped, with a line saying so, when they are absent.
# KILN_BENCH_FAMILIES="" and GEMMA3_DIR="" leave them out. Each model's prompt is cut to about 512
# of its own tokens, and llama-bench gets that count.
#
# Usage: Scripts/bench/runtime_benchmark.sh [WORK_DIR] [THREADS]
# Needs: an optimized llama.cpp (Scripts/bench/build_native_llama_cpp.sh; LLAMA_BIN overrides its
# bin folder) and numpy for the synthetic models. Env: KILN_BENCH_MODELS="a.gguf b.gguf" to measure
# only those files, KILN_BENCH_TYPES (default "F16 Q8_0 Q4_K_M Q6_K"), REPS (default 3).
# CPU_TIME=1 measures CPU seconds (user+sys) instead of wall-clock tokens/s, for a machine shared
# with other work: each side's runs alternate, a start-up run (one-token prompt, one token) is
# subtracted, and the medians of REPS runs are compared (llama-bench with --no-warmup -r 1, so both
# sides run once).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-.build/bench}
threads=${2:-$(nproc)}
reps=${REPS:-3}
kiln=${KILN:-.build/release/kiln}
bin=${LLAMA_BIN:-.oracle/build-native/bin}
[ -x "$bin/llama-bench" ] || { echo "no llama-bench in $bin: run Scripts/bench/build_native_llama_cpp.sh" >&2; exit 2; }
[ -n "${KILN:-}" ] || Scripts/build-release.sh >/dev/null
mkdir -p "$work"

# A synthetic 12-layer model of FAMILY as GGUF files of TYPES (F16 converted, the rest quantized from it).
synthetic() { # FAMILY TYPES...
  local family=$1 name folder f16 type lower file
  shift
  name=synthetic-12l$([ "$family" = llama ] || echo "-$family")
  folder=$work/$name
  [ -d "$folder" ] || python3 Scripts/bench/make_synthetic_checkpoint.py "$folder" --layers 12 --family "$family" >/dev/null
  f16=$work/$name-f16.gguf
  [ -f "$f16" ] || "$kiln" convert "$folder" --outtype f16 -o "$f16" >/dev/null
  for type in "$@"; do
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$type")
    file=$work/$name-$lower.gguf
    [ "$type" = F16 ] || [ -f "$file" ] || "$kiln" quantize "$f16" -o "$file" --type "$type" >/dev/null
    models="$models $file"
  done
}
models=${KILN_BENCH_MODELS:-}
if [ -z "$models" ]; then
  # shellcheck disable=SC2086
  synthetic llama ${KILN_BENCH_TYPES-F16 Q8_0 Q4_K_M Q6_K}
  for family in ${KILN_BENCH_FAMILIES-qwen3 phi3}; do
    # shellcheck disable=SC2086
    synthetic "$family" ${KILN_BENCH_FAMILY_TYPES-F16 Q8_0 Q4_K_M}
  done
  gemma=${GEMMA3_DIR-$HOME/.cache/kiln-gemma3/e2e}
  if [ -n "$gemma" ]; then
    for type in F16 Q8_0 Q4_K_M; do
      if [ -f "$gemma/kiln-$type.gguf" ]; then
        models="$models $gemma/kiln-$type.gguf"
      else
        echo "skipped: Gemma 3 270M $type (no $gemma/kiln-$type.gguf; Scripts/oracle/gemma3_270m_end_to_end.py writes it)"
      fi
    done
  fi
fi
# Held-out text cut to about 512 tokens of MODEL's tokenizer: sets `prompt` and `n` (its token count).
text=Fixtures/text/eval.txt
prompt_tokens() { # MODEL TEXT
  "$kiln" generate "$1" --prompt "$2" -n 1 --threads "$threads" 2>&1 >/dev/null | tail -1 | sed -n 's/.*prompt: \([0-9]*\) tokens.*/\1/p'
}
choose_prompt() { # MODEL
  prompt=$(head -c 1600 "$text")
  n=$(prompt_tokens "$1" "$prompt")
  if [ $((n * 10)) -lt 4600 ] || [ $((n * 10)) -gt 5600 ]; then
    prompt=$(head -c $((1600 * 512 / n)) "$text")
    n=$(prompt_tokens "$1" "$prompt")
  fi
}
label() { # MODEL: the file name, with the folder's name for files named alike (kiln-F16.gguf)
  case $(basename "$1") in kiln-*) echo "gemma3-270m-$(basename "$1" .gguf | sed 's/^kiln-//')" ;; *) basename "$1" .gguf ;; esac
}

mean() { python3 -c "import sys; v=[float(x) for x in sys.argv[1:]]; print('%.2f' % (sum(v)/len(v)))" "$@"; }
# One `kiln generate` run: prints "PROMPT_TOKENS PROMPT_TOKENS_PER_S GENERATED GENERATED_TOKENS_PER_S".
kiln_run() { # MODEL PROMPT N
  "$kiln" generate "$1" --prompt "$2" -n "$3" --threads "$threads" 2>&1 >/dev/null | tail -1 |
    sed -n 's/.*prompt: \([0-9]*\) tokens, \([0-9.]*\) tokens\/s; generated: \([0-9]*\) tokens, \([0-9.]*\) tokens\/s.*/\1 \2 \3 \4/p'
}
# llama-bench's mean tokens/s (the avg_ts column of its CSV).
llama_run() { # ARGS...
  "$bin/llama-bench" "$@" -t "$threads" -r "$reps" -o csv 2>/dev/null | python3 -c "
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print(rows[-1]['avg_ts'])"
}
if [ -n "${CPU_TIME:-}" ]; then
  # User+system CPU seconds of one command (its stdout and stderr dropped).
  cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
  # CPU seconds of one `kiln generate` and the tokens it generated (it stops early at an end of text).
  kiln_cpu() { # MODEL PROMPT N
    local times
    times=$(mktemp)
    generated=$(/usr/bin/time -f "%U %S" -o "$times" "$kiln" generate "$1" --prompt "$2" -n "$3" --threads "$threads" 2>&1 >/dev/null |
      tail -1 | sed -n 's/.*generated: \([0-9]*\) tokens.*/\1/p')
    echo "$(awk '{print $1 + $2}' "$times") $generated"
    rm -f "$times"
  }
  median() { python3 -c "import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
  echo "CPU time (user+sys s), threads: $threads, runs: $reps (medians), load: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-30s %6s %9s %9s %6s %10s %10s %6s\n" model prompt kiln_pp_s llama_pp_s ratio kiln_tg_ms llama_tg_ms ratio
  for model in $models; do
    choose_prompt "$model"
    kp=(); lp=(); kt=(); lt=()
    for _ in $(seq "$reps"); do
      read -r k0 _ < <(kiln_cpu "$model" "A" 1)
      read -r k _ < <(kiln_cpu "$model" "$prompt" 1)
      kp+=("$(python3 -c "print($k - $k0)")")
      # The first generated token comes from the prompt's logits: N tokens take N−1 decoding steps.
      read -r k generated < <(kiln_cpu "$model" "A" 128)
      kt+=("$(python3 -c "print(($k - $k0) / ($generated - 1) * 1000)")")
      l0=$(cpu "$bin/llama-bench" -m "$model" -p 1 -n 0 -r 1 --no-warmup -t "$threads")
      lp+=("$(python3 -c "print($(cpu "$bin/llama-bench" -m "$model" -p "$n" -n 0 -r 1 --no-warmup -t "$threads") - $l0)")")
      lt+=("$(python3 -c "print(($(cpu "$bin/llama-bench" -m "$model" -p 0 -n 128 -r 1 --no-warmup -t "$threads") - $l0) / 128 * 1000)")")
    done
    a=$(median "${kp[@]}"); b=$(median "${lp[@]}"); c=$(median "${kt[@]}"); d=$(median "${lt[@]}")
    python3 -c "print('%-30s %6d %9.2f %9.2f %5.2fx %10.1f %10.1f %5.2fx' % ('$(label "$model")', $n, $a, $b, $b/$a, $c, $d, $d/$c))"
  done
  exit 0
fi
echo "threads: $threads, runs: $reps, load: $(cut -d' ' -f1-3 /proc/loadavg), llama.cpp: $bin ($(grep -m1 -o 'llama.cpp commit: [0-9a-f]*' .oracle/VERSION.txt 2>/dev/null || echo 'version unknown'))"
printf "%-30s %6s %9s %9s %6s %9s %9s %6s\n" model prompt kiln_pp llama_pp ratio kiln_tg llama_tg ratio
for model in $models; do
  choose_prompt "$model"
  pps=(); tgs=()
  for _ in $(seq "$reps"); do
    read -r n pp _ _ < <(kiln_run "$model" "$prompt" 1)
    read -r _ _ generated tg < <(kiln_run "$model" "A" 128)
    # The first generated token comes from the prompt's logits: N tokens take N−1 decoding steps.
    pps+=("$pp"); tgs+=("$(python3 -c "print($tg * ($generated - 1) / $generated)")")
  done
  kpp=$(mean "${pps[@]}"); ktg=$(mean "${tgs[@]}")
  lpp=$(llama_run -m "$model" -p "$n" -n 0)
  ltg=$(llama_run -m "$model" -p 0 -n 128)
  python3 -c "print('%-30s %6d %9.1f %9.1f %5.2fx %9.1f %9.1f %5.2fx' % ('$(label "$model")', $n, $kpp, $lpp, $kpp/$lpp, $ktg, $ltg, $ktg/$ltg))"
  [ "$generated" = 128 ] || echo "  (kiln stopped after $generated generated tokens)"
done
