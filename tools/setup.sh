#!/usr/bin/env bash
# Installs what the workbook needs on Debian 12 and is missing, then checks the toolchain.
# Sourced by tools/main.sh and tools/test.sh; safe to run again (installs nothing twice).
set -euo pipefail

# libtorch-dev: the tensor library (1.13.1, oneDNN, AVX2); libopenblas0-pthread: its BLAS — with
# Debian's default reference BLAS a CPU training step is 3x (64 px) to 9x (256 px) slower;
# cmake and g++ build the shim in native/; libjpeg/libpng are the image codecs inside it.
# python3-jupyter-client, python3-nbclient and python3-nbformat: the real Jupyter clients the kernel
# tests drive (tools/Kernel) and nbformat's validator; chromium renders the HTML exports in a test.
PACKAGES=(libtorch-dev libopenblas0-pthread cmake g++ libjpeg62-turbo-dev libpng-dev
          python3-jupyter-client python3-nbclient python3-nbformat chromium)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "setup: need root to run: apt-get install ${missing[*]}" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is not on PATH; install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run again" >&2
  exit 1
fi

# libopenblas0-pthread registers itself as the libblas.so.3 alternative with a higher priority
# than reference BLAS; say which one is active so a slow machine is easy to explain.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
case "$blas" in
  *openblas*) ;;
  *) echo "setup: warning: libblas.so.3 resolves to '${blas:-nothing}', not OpenBLAS; training will be slow (update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2 ;;
esac
