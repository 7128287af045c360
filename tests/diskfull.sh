#!/usr/bin/env bash
# Runs the disk-full test on a 2 MB tmpfs (needs root to mount it).
#   sudo tests/diskfull.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
mount -t tmpfs -o size=2m tmpfs "$dir"
trap 'umount "$dir"; rmdir "$dir"' EXIT
RAPPORT_FULL_DIR="$dir" cargo test --test diskfull -- --ignored --nocapture
