#!/usr/bin/env bash
# Runs each benchmark case in C# and in PyTorch alternately (same machine, same threads, same
# libtorch), several rounds, and prints the median times and the ratio C#/PyTorch per case.
# Usage: bash bench/run.sh [rounds] [threads] [case-filter-regex]   (needs /usr/bin/python3 with python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-$(nproc)}
filter=${3:-.}
mkdir -p bench/out
dotnet build bench/Bench.csproj -c Release -v q -nologo >/dev/null
out=bench/out/runs.jsonl
: > "$out"
# model mode size batch steps warmup
cases=(
  "pix2pix train 64 16 10 3"
  "report train 64 16 10 3"
  "pix2pix infer 64 16 10 3"
  "report infer 64 16 10 3"
  "pix2pix train 256 16 3 1"
  "report train 256 16 3 1"
  "pix2pix infer 256 16 5 1"
  "report infer 256 16 5 1"
  "srgan train 64 2 2 1"   # batch 16 would take minutes per step on 2 cores; the GPU is its place
  "srgan infer 64 16 3 1"
  "srgan infer 512 1 3 1"
)
for r in $(seq "$rounds"); do
  for c in "${cases[@]}"; do
    grep -qE "$filter" <<<"$c" || continue
    read -r model mode size batch steps warmup <<<"$c"
    echo "round $r/$rounds: $model $mode ${size}px batch $batch" >&2
    args=(--model "$model" --mode "$mode" --size "$size" --batch "$batch" --steps "$steps" --warmup "$warmup" --threads "$threads")
    dotnet bench/bin/Release/net10.0/Bench.dll "${args[@]}" >>"$out"
    if [[ $model == srgan ]]; then py=bench/srgan_bench.py; else py=bench/colorizer_bench.py; fi
    /usr/bin/python3 "$py" "${args[@]}" >>"$out"
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
from collections import defaultdict
runs = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[(r["model"], r["mode"], r["size"], r["batch"])][r["impl"]].append(r["median_s"])
print("| model | mode | size | batch | C# median (s/step) | PyTorch median (s/step) | C#/PyTorch | C# images/s or ms/image |")
print("|---|---|---|---|---|---|---|---|")
for (model, mode, size, batch), v in runs.items():
    cs, py = statistics.median(v["csharp"]), statistics.median(v["pytorch"])
    rate = f"{batch / cs:.1f} img/s" if mode == "train" else f"{cs / batch * 1000:.1f} ms/img"
    print(f"| {model} | {mode} | {size} | {batch} | {cs:.3f} | {py:.3f} | {cs / py:.2f} | {rate} |")
PY
