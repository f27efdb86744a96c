#!/usr/bin/env bash
# Runs every benchmark in BENCHMARKS.md beside its reference, in one run on one machine, and
# prints a Markdown summary (medians and ratios). Usage: [BENCH_SECTIONS="6 7"] bench/run.sh BUILD_DIR
#   1. AEAD seal/open (Google Benchmark) vs `openssl speed -aead -evp aes-256-gcm`
#   2. HTTPS GET /healthz, keep-alive, 64 connections, wrk: strongroom vs nginx serving a
#      2-byte file with the same certificate, protocols and cipher suites
#   3. strongroom's resident memory idle and at the end of that load (part of section 2)
#   4. sign-in: Argon2id cost, unknown name vs wrong passphrase, per-request authentication cost
#   5. p99 of an authenticated route alone and while sign-ins are flooded, beside a control: the
#      same route with a CPU busy loop at nice 19 in another process
#   6. the audit log: durable appends with 1, 8 and 64 writers beside the fsync rate, and
#      verification beside `openssl speed sha256`
#   7. the vault: PUT and GET of a 1 KiB record over HTTPS beside PostgreSQL 15 + pgcrypto
#      (pgbench), and 256 MiB file upload and download beside `openssl speed -evp aes-256-gcm`
#   8. backups: create and verify of a 1 GiB store beside `sqlite3 .backup` + `zstd | openssl enc`
#   9. the ISMS: coverage of five frameworks (1,000 controls, 100,000 evidence), a controls page
set -euo pipefail
build=${1:-build-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
work=$(mktemp -d /tmp/strongroom-bench.XXXXXX)
rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_SECONDS:-10}
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# BENCH_SECTIONS="6 7" runs only those sections (numbered as above); all of them by default.
want() { [ -z "${BENCH_SECTIONS:-}" ] || [[ " $BENCH_SECTIONS " == *" $1 "* ]]; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "## Machine"
echo
echo "- $(nproc) cores: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
echo "- $(free -g | awk '/^Mem:/{print $2}') GiB RAM, kernel $(uname -r)"
echo "- $(openssl version), $(nginx -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo

# --- 1. AEAD ---------------------------------------------------------------------------------
if want 1; then
# Alternate ours and openssl's in rounds so machine drift hits both alike.
: > "$work/openssl.txt"
for r in $(seq "$rounds"); do
  "$build/bench/aead_bench" --benchmark_filter='BM_Aead(Seal|Open)' --benchmark_repetitions=3 \
    --benchmark_min_time=0.3 --benchmark_format=json > "$work/aead-$r.json" 2>/dev/null
  for size in 64 1024 65536; do
    for mode in enc dec; do
      flag=""; [ "$mode" = dec ] && flag="-decrypt"
      openssl speed -aead $flag -evp aes-256-gcm -bytes "$size" -seconds 1 2>/dev/null |
        awk -v s="$size" -v m="$mode" '/^AES-256-GCM/ {v=$2; sub(/k$/,"",v); print m, s, v*1000}'
    done
  done >> "$work/openssl.txt"
done
python3 - "$work/openssl.txt" "$work"/aead-*.json <<'PY'
import json, statistics, sys
samples = {}
for path in sys.argv[2:]:
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "iteration" and "bytes_per_second" in b:
            name, size = b["run_name"].split("/")
            samples.setdefault((name, int(size)), []).append(b["bytes_per_second"])
ours = {k: statistics.median(v) for k, v in samples.items()}
ref = {}
for line in open(sys.argv[1]):
    mode, size, v = line.split()
    ref.setdefault((mode, int(size)), []).append(float(v))
print(f"## AEAD (AES-256-GCM), median MB/s over {len(sys.argv) - 2} alternating rounds")
print()
print("| size | Strongroom seal | openssl encrypt | ratio | Strongroom open | openssl decrypt | ratio |")
print("|---|---|---|---|---|---|---|")
for size in (64, 1024, 65536):
    s, o = ours[("BM_AeadSeal", size)], ours[("BM_AeadOpen", size)]
    e, d = statistics.median(ref[("enc", size)]), statistics.median(ref[("dec", size)])
    print(f"| {size} B | {s/1e6:.0f} | {e/1e6:.0f} | {s/e:.2f} | {o/1e6:.0f} | {d/1e6:.0f} | {o/d:.2f} |")
print()
PY
fi

# --- 2. HTTPS: strongroom vs nginx ------------------------------------------------------------
if want 2; then
data="$work/data"
"$build/strongroom" init --data-dir "$data" --json > /dev/null 2>&1
sr_port=$(free_port)
"$build/strongroom" serve --data-dir "$data" --listen "127.0.0.1:$sr_port" > "$work/sr.out" 2> "$work/sr.log" &
sr_pid=$!; pids+=("$sr_pid")

ng_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
printf 'ok' > "$work/www/healthz"
# nginx's workers drop to an unprivileged user; they need to read the 2-byte file (the master
# reads the certificate and key before dropping privileges).
chmod 0755 "$work" "$work/www"
chmod 0644 "$work/www/healthz"
ciphers=$(sed -n 's/^ *"\(ECDHE[^"]*\)"[;]*$/\1/p' "$here/../src/strongroom/crypto/tls.hpp" | tr -d '\n')
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log combined buffer=64k;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$ng_port ssl;
    ssl_certificate $data/tls/cert.pem;
    ssl_certificate_key $data/tls/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers $ciphers;
    ssl_prefer_server_ciphers on;
    root $work/www;
    location = /healthz { default_type application/json; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
up=no
for _ in $(seq 100); do
  if curl -ksf "https://127.0.0.1:$sr_port/healthz" >/dev/null &&
     curl -ksf "https://127.0.0.1:$ng_port/healthz" >/dev/null; then up=yes; break; fi
  sleep 0.1
done
if [ "$up" != yes ]; then
  echo "bench: a server did not come up" >&2
  cat "$work/sr.log" "$work/nginx/error.log" >&2 2>/dev/null || true
  exit 1
fi
rss() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
rss_idle=$(rss "$sr_pid" VmRSS)

run_wrk() {  # name url -> appends "name rps p50_ms p99_ms" to results
  wrk -t2 -c64 -d"${duration}s" --latency "$2" > "$work/wrk.txt"
  grep -q "Latency Distribution" "$work/wrk.txt" || { cat "$work/wrk.txt" >&2; exit 1; }
  python3 - "$1" "$work/wrk.txt" >> "$work/results.txt" <<'PY'
import re, sys
text = open(sys.argv[2]).read()
def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.sub(r"[\d.]+", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", text)
print(sys.argv[1], rps, p50, p99, "errors" if errors else "ok")
PY
}
# Warm both up, then alternate so drift on a shared machine hits both alike.
wrk -t2 -c64 -d3s "https://127.0.0.1:$sr_port/healthz" > /dev/null
wrk -t2 -c64 -d3s "https://127.0.0.1:$ng_port/healthz" > /dev/null
: > "$work/results.txt"
for r in $(seq "$rounds"); do
  run_wrk nginx "https://127.0.0.1:$ng_port/healthz"
  run_wrk strongroom "https://127.0.0.1:$sr_port/healthz"
done
rss_peak=$(rss "$sr_pid" VmHWM)
rss_after=$(rss "$sr_pid" VmRSS)
dropped=$(grep -c '"log_lines_dropped"' "$work/sr.log" || true)

python3 - "$work/results.txt" "$rounds" "$duration" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def col(name, i): return [float(r[i]) for r in rows if r[0] == name]
print(f"## HTTPS GET /healthz, keep-alive, wrk -t2 -c64, {sys.argv[2]} alternating rounds of {sys.argv[3]} s (medians)")
print()
print("| server | requests/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|")
for name in ("nginx", "strongroom"):
    err = "yes" if any(r[4] != "ok" for r in rows if r[0] == name) else "none"
    print(f"| {name} | {statistics.median(col(name,1)):.0f} | {statistics.median(col(name,2)):.2f} | {statistics.median(col(name,3)):.2f} | {err} |")
ratio = statistics.median(col("strongroom",1)) / statistics.median(col("nginx",1))
print()
print(f"Strongroom / nginx requests/s: **{ratio:.2f}** (target at least 0.70)")
print()
PY
echo "## Strongroom resident memory"
echo
echo "| idle (after start) | peak under load (VmHWM) | after load |"
echo "|---|---|---|"
echo "| $((rss_idle / 1024)) MiB | $((rss_peak / 1024)) MiB | $((rss_after / 1024)) MiB |"
echo
echo "Log lines dropped under load (bounded log queue): $dropped"
fi

# --- 4. Sign-in and authentication costs ----------------------------------------------------
if want 4; then
"$build/bench/identity_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=json > "$work/identity.json" 2>/dev/null
python3 - "$work/identity.json" <<'PY'
import json, sys
rows = {b["run_name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("aggregate_name") == "median"}
def t(name):
    b = rows[name]
    return b["real_time"], b["time_unit"]
print("## Sign-in and authentication (Google Benchmark, medians of 3)")
print()
print("| what | time |")
print("|---|---|")
for name, label in (("BM_HashPassphrase", "Argon2id hash, t=3, m=64 MiB, p=1"),
                    ("BM_VerifyPassphrase", "Argon2id verify, same parameters"),
                    ("BM_LoginWrongPassphrase", "failed sign-in: real account, wrong passphrase"),
                    ("BM_LoginUnknownUser", "failed sign-in: no such account"),
                    ("BM_AuthenticateSession", "per request: resolve the bearer token"),
                    ("BM_AuthenticateAndAuthorize", "per request: token + tenant-scoped decision")):
    v, unit = t(name)
    print(f"| {label} | {v:.1f} {unit} |")
wrong, _ = t("BM_LoginWrongPassphrase")
unknown, _ = t("BM_LoginUnknownUser")
print()
print(f"Unknown name / wrong passphrase time: **{unknown / wrong:.2f}** (1.00 = indistinguishable)")
print()
PY
fi

# --- 5. Other routes while sign-ins are flooded -----------------------------------------------
if want 5; then
python3 "$here/signin_flood.py" "$build/strongroom" "$work" "$duration"
fi

# --- 6. Audit log: durable appends and verification ------------------------------------------
if want 6; then
: > "$work/sha.txt"
for r in $(seq "$rounds"); do
  openssl speed -seconds 1 -bytes 256 sha256 2>/dev/null |
    awk '/^sha256/ {v=$2; sub(/k$/,"",v); print v*1000}' >> "$work/sha.txt"
  "$build/bench/audit_bench" --benchmark_repetitions=3 --benchmark_format=json \
    > "$work/audit-$r.json" 2>/dev/null
done
python3 - "$work/sha.txt" "$work"/audit-*.json <<'PY'
import json, statistics, sys
sha = statistics.median(float(l) for l in open(sys.argv[1]) if l.strip())
samples = {}
for path in sys.argv[2:]:
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "iteration":
            samples.setdefault(b["run_name"].split("/")[0] + ("/%s" % b["threads"] if b.get("threads", 1) > 1 else ""), []).append(b)
def med(name, key):
    return statistics.median(x[key] for x in samples[name])
fsync = med("BM_FsyncRate", "items_per_second")
print(f"## Audit log ({len(sys.argv) - 2} rounds x 3 repetitions, medians)")
print()
print("| benchmark | result | reference | ratio |")
print("|---|---|---|---|")
print(f"| fsync rate (reference) | {fsync:,.0f} /s | | |")
for name, label in (("BM_DurableAppend", "1 writer"), ("BM_DurableAppend/8", "8 writers"),
                    ("BM_DurableAppend/64", "64 writers")):
    if name in samples:
        v = med(name, "items_per_second")
        print(f"| durable appends, {label} | {v:,.0f} events/s | fsync {fsync:,.0f}/s | {v / fsync:.1f} |")
v = med("BM_Verify", "items_per_second")
mb = med("BM_Verify", "bytes_per_second")
print(f"| verification, 200,000 events | **{v:,.0f} events/s**, {mb / 1e6:.0f} MB/s of leaf input | openssl sha256 {sha / 1e6:.0f} MB/s (256-byte blocks) | {mb / sha:.2f} |")
leaf = med("BM_Sha256LeafSized", "bytes_per_second")
print(f"| SHA-256 of one leaf-sized input, in-process | {med('BM_Sha256LeafSized', 'items_per_second') / 1e6:.2f} M/s, {leaf / 1e6:.0f} MB/s | openssl sha256 {sha / 1e6:.0f} MB/s | {leaf / sha:.2f} |")
print()
print(f"Targets: 64 writers at least 20,000 events/s; verification at least 1,000,000 events/s.")
print()
PY
fi

# --- 7. The vault: records vs PostgreSQL + pgcrypto, files vs openssl speed --------------------
if want 7; then
chmod 755 "$work"  # PostgreSQL runs as its own user inside it.
python3 "$here/vault_bench.py" "$build/strongroom" "$work" "$duration" "$rounds"
fi

# --- 8. Backups: create and verify vs sqlite3 .backup + zstd | openssl enc ----------------------
if want 8; then
python3 "$here/backup_bench.py" "$build/strongroom" "$work" "${BENCH_BACKUP_GIB:-1}" "$rounds"
fi

# --- 9. ISMS: coverage of five frameworks, 1,000 controls, 100,000 evidence; controls list ------
if want 9; then
"$build/bench/isms_bench" --benchmark_repetitions="$rounds" --benchmark_format=json \
  --benchmark_filter='BM_Coverage|BM_ControlsList' > "$work/isms.json"
python3 - "$work/isms.json" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
def med(prefix):
    xs = [b["real_time"] for b in runs if b["name"].startswith(prefix) and b.get("run_type") == "iteration"]
    return statistics.median(xs)
print("## ISMS (medians)")
print()
print("| benchmark | result | target |")
print("|---|---|---|")
print(f"| coverage of all five frameworks as of a date, 1,000 controls, 100,000 evidence | **{med('BM_CoverageAllFiveFrameworks'):.1f} ms** | under 50 ms |")
print(f"| a page of 100 controls among 10,000 (the list route's code path) | {med('BM_ControlsListPage'):.2f} ms | API p99 under 100 ms |")
print()
PY
python3 "$here/isms_api_bench.py" "$build/strongroom" "$work" 2000 4
fi
