#!/usr/bin/env bash
# Installs the packed Beluga packages, and any extra node packages, into APP_DIR with plain npm and
# production dependencies only: what the image runs, and what the deploy test runs outside Docker.
#   install-app.sh APP_DIR PACKS_DIR [EXTRA_PACKAGE ...]
# An EXTRA_PACKAGE starting with ./ is a file under PACKS_DIR/extra (deploy/docker/packages/).
set -euo pipefail
app=${1:?usage: install-app.sh APP_DIR PACKS_DIR [EXTRA_PACKAGE ...]}
packs=${2:?usage: install-app.sh APP_DIR PACKS_DIR [EXTRA_PACKAGE ...]}
shift 2
mkdir -p "$app"
packs=$(cd "$packs" && pwd)
extra=()
for spec in "$@"; do
  case "$spec" in
    ./*) extra+=("$packs/extra/${spec#./}") ;;
    *) extra+=("$spec") ;;
  esac
done
cd "$app"
[ -f package.json ] || printf '{ "name": "beluga-app", "private": true, "type": "module" }\n' >package.json
npm install --omit=dev --no-audit --no-fund --loglevel=error "$packs"/*.tgz "${extra[@]}"
