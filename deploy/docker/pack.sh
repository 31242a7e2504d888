#!/usr/bin/env bash
# Packs every workspace package (as npm would publish it) into DIR.
set -euo pipefail
dest=${1:?usage: pack.sh DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
for pkg in "$root"/packages/*/; do
  (cd "$pkg" && pnpm pack --pack-destination "$dest" >/dev/null)
done
ls "$dest"/*.tgz
