#!/bin/sh
# Fetches the natural photographs and videos the natural-image models train and are tested on:
# the Debian packages opencv-doc (examples/data: photos and the surveillance video vtest.avi) and
# python3-skimage (skimage/data: photos, among them the ten test photos), downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x` into a cache directory (default
# .cache/natural). Lays out:
#   <dir>/opencv/   every file of opencv-doc's examples/data
#   <dir>/skimage/  every file of skimage/data
# Does nothing when both are already there. Needs apt-get and dpkg-deb (Debian, Ubuntu).
set -eu
dir="${1:-${NATURAL_DIR:-.cache/natural}}"
[ -s "$dir/opencv/vtest.avi" ] && [ -s "$dir/skimage/camera.png" ] && exit 0
command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 || {
  echo "fetch-natural: needs apt-get and dpkg-deb (Debian packages opencv-doc, python3-skimage)" >&2
  exit 1
}
mkdir -p "$dir"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
download() {
  ( cd "$tmp" && apt-get download -qq "$@" ) 2>/dev/null && return 0
  # A fresh machine has no package lists yet.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
  ( cd "$tmp" && apt-get download -qq "$@" )
}
download opencv-doc python3-skimage
for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
rm -rf "$dir/opencv" "$dir/skimage"
cp -r "$tmp/root/usr/share/doc/opencv-doc/examples/data" "$dir/opencv"
cp -r "$tmp/root/usr/lib/python3/dist-packages/skimage/data" "$dir/skimage"
echo "natural images are in $dir (opencv/, skimage/)"
