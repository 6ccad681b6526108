#!/usr/bin/env bash
# Installs the workbook's Jupyter kernel for C# ("C# (workbook)", kernelspec csharp-workbook) so that
# JupyterLab, VS Code's Jupyter extension, jupyter console and nbclient can run the notebooks: sets up
# what is missing, builds the library (notebooks #r bin/Lib.dll) and the kernel, then writes the
# kernelspec into Jupyter's user data dir ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter).
# Usage: bash tools/install_kernel.sh [--prefix DIR]   (--prefix: DIR/share/jupyter, e.g. a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
dotnet build Lib.csproj -c Release -nologo -v q
dotnet build tools/Kernel/Kernel.csproj -c Release -nologo -v q
dotnet tools/Kernel/bin/Release/net10.0/WorkbookKernel.dll install "$@"
