#!/usr/bin/env bash
# Puts the demo photographs in data/demo/photos: the 12 nature photographs of Debian's
# mate-backgrounds package (GPL-2+, see data/README.md), taken from the .deb without installing it.
# Nothing here is committed (data/demo/ is ignored). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=data/demo/photos
if compgen -G "$dest/*.jpg" >/dev/null; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download mate-backgrounds >/dev/null 2>&1; then
  # A fresh machine has no package lists yet.
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
  apt-get download mate-backgrounds >/dev/null
fi
deb=$(ls mate-backgrounds_*.deb)
dpkg-deb -x "$deb" extracted
cd - >/dev/null
mkdir -p "$dest"
cp "$work"/extracted/usr/share/backgrounds/mate/nature/*.jpg "$dest"/
cp "$work"/extracted/usr/share/doc/mate-backgrounds/copyright data/demo/COPYRIGHT.mate-backgrounds
echo "Debian package $(dpkg-deb -f "$work/$deb" Package) $(dpkg-deb -f "$work/$deb" Version): usr/share/backgrounds/mate/nature/*.jpg" > data/demo/SOURCE.txt
echo "demo data: $(ls "$dest" | wc -l) photographs in $dest" >&2
