#!/usr/bin/env bash
# Installs the Debian 12 packages Strongroom needs to build, test and run; idempotent.
# Usage: scripts/install-deps.sh [build|test|fuzz|bench]...   (default: build test)
# Only Debian's archive and the npm registry are used (web/'s packages, pinned by its lockfile);
# nothing is downloaded from anywhere else. Chromium for the browser tests is Debian's.
set -euo pipefail

build_pkgs=(
  cmake ninja-build g++ make pkg-config ccache python3 ca-certificates openssl
  libssl-dev libsodium-dev libboost-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev
  libzxcvbn-dev libqrencode-dev libzstd-dev libxlsxwriter-dev
)
test_pkgs=(
  libgtest-dev libgmock-dev python3-cryptography-vectors libargon2-dev argon2 oathtool sqlite3 procps
  libfaketime zstd
  clang
  chromium fonts-liberation
)
fuzz_pkgs=(
  clang libfuzzer-14-dev libclang-rt-14-dev
)
bench_pkgs=(
  libbenchmark-dev wrk nginx-light postgresql curl sqlite3 zstd
)

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build test)

wanted=()
for g in "${groups[@]}"; do
  case "$g" in
    build) wanted+=("${build_pkgs[@]}") ;;
    test) wanted+=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
    fuzz) wanted+=("${build_pkgs[@]}" "${test_pkgs[@]}" "${fuzz_pkgs[@]}") ;;
    bench) wanted+=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "install-deps: unknown group '$g' (accepted: build, test, fuzz, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node.js and npm build the web UI. A machine may have them from elsewhere (NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package): only install what no command provides.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  # De-duplicate while keeping order.
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 2; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# web/node_modules exactly as web/package-lock.json pins it; skipped while the lockfile is unchanged.
web="$(cd "$(dirname "$0")/../web" && pwd)"
stamp="$web/node_modules/.strongroom-lock-sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "install-deps: npm ci in web/"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
