#!/usr/bin/env bash
# Builds the browser UI (web/) with Vite into OUTDIR, for the http module to embed.
# Usage: scripts/build_web.sh OUTDIR
# web/node_modules comes from `scripts/install-deps.sh build` (npm ci against the lockfile).
set -euo pipefail
out="${1:?usage: build_web.sh OUTDIR}"
web="$(cd "$(dirname "$0")/../web" && pwd)"
if [ ! -x "$web/node_modules/.bin/vite" ]; then
  echo "build_web: $web/node_modules is missing; run scripts/install-deps.sh build" >&2
  exit 2
fi
cd "$web"
node_modules/.bin/vite build --logLevel warn --outDir "$out" --emptyOutDir
test -f "$out/index.html"
