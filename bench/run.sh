#!/usr/bin/env bash
# Runs the C# and PyTorch pix2pix steps alternately (same machine, same threads, same libtorch),
# several rounds, and prints the median step times and their ratio C#/PyTorch.
# Usage: bash bench/run.sh [rounds] [threads]     (needs /usr/bin/python3 with python3-torch)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-$(nproc)}
mkdir -p bench/out
dotnet build bench/Bench.csproj -c Release -v q -nologo >/dev/null
out=bench/out/runs.jsonl
: > "$out"
for r in $(seq "$rounds"); do
  echo "round $r/$rounds" >&2
  dotnet bench/bin/Release/net10.0/Bench.dll --threads "$threads" | tee -a "$out"
  /usr/bin/python3 bench/pix2pix_step.py --threads "$threads" | tee -a "$out"
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
cs = [r["median_s"] for r in runs if r["impl"] == "csharp"]
py = [r["median_s"] for r in runs if r["impl"] == "pytorch"]
mc, mp = statistics.median(cs), statistics.median(py)
print(f"C# median step {mc:.3f} s (runs {cs}); PyTorch median step {mp:.3f} s (runs {py}); ratio C#/PyTorch = {mc / mp:.3f}")
PY
