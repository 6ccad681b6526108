#!/usr/bin/env bash
# The CLI on large photos against the same work in PyTorch: colorize a 12-megapixel gray photo (render size 256,
# full-resolution L) and upscale a 1-megapixel color photo x4 (256-pixel tiles, overlap 16), each as its own process,
# wall seconds and peak resident memory (/usr/bin/time). Models: the quick profile's, untrained (same cost).
# Usage: bash bench/run_cli.sh [threads] [rounds]     (results: bench/README.md, "CLI on large photos")
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
rounds=${2:-1}
python=${PYTHON:-/usr/bin/python3}
out=bench/out/cli
rm -rf "$out"
mkdir -p "$out/cs" "$out/py"
bash tools/fetch_demo_data.sh
dotnet build tools/Workbook/Workbook.csproj -c Release -v q -nologo >/dev/null
dotnet build bench/Bench.csproj -c Release -v q -nologo >/dev/null
dotnet bench/bin/Release/net10.0/Bench.dll --model cli-checkpoints --out "$out/runs"
"$python" bench/cli_bench.py --make-inputs "$out" data/demo/photos/mate-backgrounds/Dune.jpg
cli=(dotnet tools/Workbook/bin/Release/net10.0/Workbook.dll)
export OMP_NUM_THREADS=$threads
# wall seconds, CPU seconds (user + system: steadier than wall time when other work shares the cores) and peak RSS (MiB)
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" >"$out/last.log" 2>&1 || { cat "$out/last.log" >&2; exit 1; }
  read -r s u k kb <"$out/time.txt"
  echo "$s $(echo "$u + $k" | bc) $((kb / 1024))"
}
printf "%-40s %10s %12s %14s\n" "case" "wall s" "CPU s" "peak RSS MiB"
for r in $(seq "$rounds"); do
  printf "%-40s %10s %12s %14s\n" "C# colorize 12 MP (round $r)" $(measure "${cli[@]}" colorize "$out/gray_12mp.jpg" -o "$out/cs" --force --device cpu --model "$out/runs/colorizer" --render-size 256)
  printf "%-40s %10s %12s %14s\n" "PyTorch colorize 12 MP (round $r)" $(measure "$python" bench/cli_bench.py colorize "$out/gray_12mp.jpg" "$out/py/gray_12mp.png" --threads "$threads")
  printf "%-40s %10s %12s %14s\n" "C# upscale 1 MP x4 (round $r)" $(measure "${cli[@]}" upscale "$out/color_1mp.jpg" -o "$out/cs" --force --device cpu --model "$out/runs/superres" --tile 256 --overlap 16)
  printf "%-40s %10s %12s %14s\n" "PyTorch upscale 1 MP x4 (round $r)" $(measure "$python" bench/cli_bench.py upscale "$out/color_1mp.jpg" "$out/py/color_1mp.png" --threads "$threads")
done
