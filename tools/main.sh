#!/usr/bin/env bash
# The main job: set up, build, and run every notebook in notebooks/ in order, headless, saving
# each notebook's outputs into the .ipynb, its charts and tables under results/, and the executed
# notebook as one self-contained HTML file under results/html/ (environment.md: why the runner and
# not nbclient with the kernel).
# Usage: bash tools/main.sh [notebook.ipynb ...]   (default: all of notebooks/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/fetch_demo_data.sh
dotnet build Lib.csproj -c Release -nologo -v q
dotnet build tools/NotebookRunner/NotebookRunner.csproj -c Release -nologo -v q
if (($#)); then targets=("$@"); else targets=(notebooks); fi
dotnet tools/NotebookRunner/bin/Release/net10.0/NotebookRunner.dll --html results/html "${targets[@]}"
