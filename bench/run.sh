#!/usr/bin/env bash
# Runs each benchmark case in C# and in PyTorch alternately (same machine, same threads, same
# libtorch), several rounds, and prints the median times and the ratio C#/PyTorch per case.
# Usage: bash bench/run.sh [rounds] [threads] [case-filter-regex] [device]
#   device: cpu (default) or cuda; on a GPU each case runs 10x the steps after 5 more warm-up steps.
#   PYTHON: the Python with torch (default /usr/bin/python3, Debian's python3-torch).
#   BENCH_EXE: a published Bench executable to use instead of building bench/Bench.csproj (a machine
#   without the .NET SDK, e.g. the GPU machine: see bench/README.md).
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
  "srgan train 64 2 2 1"
  "srgan train 64 16 2 1"  # the issue's case: about 1.5 minutes per step on 2 cores
  "srgan infer 64 16 3 1"
  "srgan infer 512 1 3 1"
  "joint train 64 16 3 1"  # gray 64 -> color 256, the orderings' joint GAN at the report's width
  "joint infer 64 16 5 1"
)
for r in $(seq "$rounds"); do
  for c in "${cases[@]}"; do
    grep -qE "$filter" <<<"$c" || continue
    read -r model mode size batch steps warmup <<<"$c"
    if [[ $device == cuda* ]]; then steps=$((steps * 10)); warmup=$((warmup + 5)); fi
    echo "round $r/$rounds: $model $mode ${size}px batch $batch on $device" >&2
    args=(--model "$model" --mode "$mode" --size "$size" --batch "$batch" --steps "$steps" --warmup "$warmup" --threads "$threads" --device "$device")
    # BENCH_CS_ARGS: extra options for the C# side only (e.g. --sub-pixel-inference false).
    "${cs[@]}" "${args[@]}" ${BENCH_CS_ARGS:-} >>"$out"
    case $model in srgan) py=bench/srgan_bench.py ;; joint) py=bench/joint_bench.py ;; *) py=bench/colorizer_bench.py ;; esac
    "$python" "$py" "${args[@]}" >>"$out"
  done
done
"$python" - "$out" <<'PY'
import json, statistics, sys
from collections import defaultdict
runs = defaultdict(lambda: defaultdict(list))
gflop = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[(r["model"], r["mode"], r["size"], r["batch"])][r["impl"]].append(r["median_s"])
    if "step_gflop" in r:
        gflop[(r["model"], r["mode"], r["size"], r["batch"])] = r["step_gflop"]
print("| model | mode | size | batch | C# median (s/step) | PyTorch median (s/step) | C#/PyTorch | C# images/s or ms/image |")
print("|---|---|---|---|---|---|---|---|")
behind = []
for (model, mode, size, batch), v in runs.items():
    cs, py = statistics.median(v["csharp"]), statistics.median(v["pytorch"])
    rate = f"{batch / cs:.1f} img/s" if mode == "train" else f"{cs / batch * 1000:.1f} ms/img"
    print(f"| {model} | {mode} | {size} | {batch} | {cs:.3f} | {py:.3f} | {cs / py:.2f} | {rate} |")
    if cs / py > 1.0:
        behind.append(f"{model} {mode} {size}px batch {batch}: C#/PyTorch {cs / py:.2f}")
if gflop:
    print()
    print("| model | mode | size | batch | convolution GFLOP per step | C# GFLOP/s | PyTorch GFLOP/s |")
    print("|---|---|---|---|---|---|---|")
    for key, f in gflop.items():
        v = runs[key]
        print(f"| {' | '.join(map(str, key))} | {f:.1f} | {f / statistics.median(v['csharp']):.0f} | {f / statistics.median(v['pytorch']):.0f} |")
# The regression check (issue 24): every case at or below PyTorch; a case behind it is named on stderr.
for line in behind:
    print(f"BEHIND PYTORCH: {line}", file=sys.stderr)
if not behind:
    print("no case behind PyTorch", file=sys.stderr)
PY
