#!/usr/bin/env bash
# Per-layer GFLOP/s of pix2pix's U-Net at 64 px (each Conv2d / ConvTranspose2d alone, forward and backward) in C#
# (bench/LayerBench.cs, fast paths on) and in PyTorch (bench/layer_bench.py), alternating, several rounds; prints
# the median of each side per layer. The last row, a 3x3 256->256 Conv2d at 32 px, is the machine's peak probe.
# Usage: bash bench/run_layers.sh [rounds] [threads]   (run it alone: a busy machine gives numbers 2-10x off)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-$(nproc)}
python=${PYTHON:-/usr/bin/python3}
mkdir -p bench/out
if [[ -n ${BENCH_EXE:-} ]]; then cs=("$BENCH_EXE"); else
  dotnet build bench/Bench.csproj -c Release -v q -nologo >/dev/null
  cs=(dotnet bench/bin/Release/net10.0/Bench.dll)
fi
out=bench/out/layers.jsonl
: > "$out"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds: layers" >&2
  "${cs[@]}" --model layers --batch 16 --steps 7 --warmup 2 --threads "$threads" >>"$out"
  "$python" bench/layer_bench.py --batch 16 --steps 7 --warmup 2 --threads "$threads" >>"$out"
done
"$python" - "$out" <<'PY'
import json, statistics, sys
from collections import defaultdict
v = defaultdict(lambda: defaultdict(list))
order = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["layer"] not in order:
        order.append(r["layer"])
    for k in ("fwd_gflops", "bwd_gflops", "fwd_ms", "bwd_ms"):
        v[(r["layer"], r["impl"])][k].append(r[k])
m = lambda layer, impl, k: statistics.median(v[(layer, impl)][k])
print("| layer (batch 16) | C# fwd GFLOP/s | PyTorch fwd GFLOP/s | C# bwd GFLOP/s | PyTorch bwd GFLOP/s | C#/PyTorch time (fwd+bwd) |")
print("|---|---|---|---|---|---|")
for layer in order:
    ratio = (m(layer, "csharp", "fwd_ms") + m(layer, "csharp", "bwd_ms")) / (m(layer, "pytorch", "fwd_ms") + m(layer, "pytorch", "bwd_ms"))
    print(f"| {layer} | {m(layer, 'csharp', 'fwd_gflops'):.0f} | {m(layer, 'pytorch', 'fwd_gflops'):.0f} | "
          f"{m(layer, 'csharp', 'bwd_gflops'):.0f} | {m(layer, 'pytorch', 'bwd_gflops'):.0f} | {ratio:.2f} |")
PY
