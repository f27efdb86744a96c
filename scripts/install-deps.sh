#!/usr/bin/env bash
# Installs the Debian 12 packages Strongroom needs to build, test and run; idempotent.
# Usage: scripts/install-deps.sh [build|test|fuzz|bench]...   (default: build test)
# Only Debian's archive is used; nothing is downloaded from anywhere else.
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
[ ${#missing[@]} -eq 0 ] && exit 0

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
