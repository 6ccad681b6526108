#!/usr/bin/env bash
# The colorizer variants' cases (bench/ColorizerVariantsBench.cs vs bench/colorizer_variants_bench.py), run
# alternately like bench/run.sh: several rounds, medians, C#/PyTorch per case.
# Usage: bash bench/run_variants.sh [rounds] [threads] [case-filter-regex] [device]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-$(nproc)}
filter=${3:-.}
device=${4:-cpu}
python=${PYTHON:-/usr/bin/python3}
mkdir -p bench/out
if [[ -n ${BENCH_EXE:-} ]]; then
  cs=("$BENCH_EXE")
else
  dotnet build bench/Bench.csproj -c Release -v q -nologo >/dev/null
  cs=(dotnet bench/bin/Release/net10.0/Bench.dll)
fi
out=bench/out/variants.jsonl
: > "$out"
# model mode size batch width steps warmup   (width: ECCV16's first-block channels, 64 = the paper's; FcnColorizer's channels)
cases=(
  "eccv16 train 64 16 16 5 2"
  "eccv16-reg train 64 16 16 5 2"
  "eccv16 infer 256 1 64 3 1"
  "c2f train 64 16 32 5 2"
  "c2f train 256 4 32 3 1"
  "c2f infer 256 1 32 5 2"
  "c2f infer 1024 1 32 3 1"
  "unet train 256 4 32 3 1"
  "unet infer 256 1 32 5 2"
  "unet infer 1024 1 32 3 1"
)
for r in $(seq "$rounds"); do
  for c in "${cases[@]}"; do
    grep -qE "$filter" <<<"$c" || continue
    read -r model mode size batch width steps warmup <<<"$c"
    if [[ $device == cuda* ]]; then steps=$((steps * 10)); warmup=$((warmup + 5)); fi
    echo "round $r/$rounds: $model $mode ${size}px batch $batch width $width on $device" >&2
    args=(--model "$model" --mode "$mode" --size "$size" --batch "$batch" --width "$width" --steps "$steps" --warmup "$warmup" --threads "$threads" --device "$device")
    "${cs[@]}" "${args[@]}" >>"$out"
    "$python" bench/colorizer_variants_bench.py "${args[@]}" >>"$out"
  done
done
"$python" - "$out" <<'PY'
import json, statistics, sys
from collections import defaultdict
runs = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[(r["model"], r["mode"], r["size"], r["batch"], r["width"])][r["impl"]].append((r["median_s"], r.get("peak_rss_mb", 0)))
print("| model | mode | size | batch | width | C# median (s/step) | PyTorch median (s/step) | C#/PyTorch | C# images/s or ms/image | peak RSS C# / PyTorch (MB) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (model, mode, size, batch, width), v in runs.items():
    cs, py = (statistics.median(t for t, _ in v[k]) for k in ("csharp", "pytorch"))
    mem_cs, mem_py = (max(m for _, m in v[k]) for k in ("csharp", "pytorch"))
    rate = f"{batch / cs:.1f} img/s" if mode == "train" else f"{cs / batch * 1000:.1f} ms/img"
    print(f"| {model} | {mode} | {size} | {batch} | {width} | {cs:.3f} | {py:.3f} | {cs / py:.2f} | {rate} | {mem_cs:.0f} / {mem_py:.0f} |")
PY
