#!/usr/bin/env bash
# Puts the demo photographs in data/demo/photos/PACKAGE/: the real photographs listed in tools/demo_photos.tsv, taken
# from Debian 12 packages' .debs (downloaded with apt-get download, unpacked without installing anything), with each
# package's copyright file beside them as data/demo/COPYRIGHT.PACKAGE (sources and licenses: data/README.md).
# Nothing here is committed (data/demo/ is ignored). Safe to run again: it does nothing when the photos are all there.
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=tools/demo_photos.tsv
dest=data/demo/photos
stamp=data/demo/SOURCE.txt
# Up to date when the stamp lists every line of the manifest (an older clone's 12 photos are replaced).
if [[ -f $stamp ]] && diff -q <(grep -v '^#' "$manifest" | sort) <(grep -v '^#' "$stamp" | cut -f1,2 | sort) >/dev/null 2>&1; then exit 0; fi
rm -rf "$dest" data/demo/COPYRIGHT.* "$stamp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() {
  if ! (cd "$work" && apt-get download "$1" >/dev/null 2>&1); then
    # A fresh machine has no package lists yet.
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
    (cd "$work" && apt-get download "$1" >/dev/null)
  fi
}
packages=$(grep -v '^#' "$manifest" | cut -f1 | sort -u)
for package in $packages; do
  echo "demo data: $package" >&2
  download "$package"
  deb=$(ls "$work"/"${package}"_*.deb)
  # Only the listed files and the copyright: some of these packages are 90 MB of other things.
  mapfile -t paths < <(awk -F'\t' -v p="$package" '$1 == p { print "./" $2 }' "$manifest")
  mkdir -p "$work/x/$package" "$dest/$package"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x/$package" "${paths[@]}" "./usr/share/doc/$package/copyright"
  version=$(dpkg-deb -f "$deb" Version)
  for path in "${paths[@]}"; do
    path=${path#./}
    # Plasma's wallpapers are folders of sizes (NAME/contents/images/2560x1600.jpg): the photo takes the folder's name.
    name=$(basename "$path")
    [[ $path == usr/share/wallpapers/* ]] && name="$(echo "$path" | cut -d/ -f4).${name##*.}"
    cp "$work/x/$package/$path" "$dest/$package/$name"
    printf '%s\t%s\t%s\t%s\n' "$package" "$path" "$version" "$package/$name" >> "$stamp.tmp"
  done
  cp "$work/x/$package/usr/share/doc/$package/copyright" "data/demo/COPYRIGHT.$package"
done
{ printf '# package\tpath in the package\tversion\tfile under data/demo/photos\n'; cat "$stamp.tmp"; } > "$stamp"
rm "$stamp.tmp"
echo "demo data: $(grep -vc '^#' "$stamp") photographs from $(echo "$packages" | wc -w) Debian packages in $dest" >&2
