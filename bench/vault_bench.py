#!/usr/bin/env python3
"""The vault over HTTPS beside PostgreSQL 15 with pgcrypto, and files beside `openssl speed`.

Usage: vault_bench.py STRONGROOM_BINARY WORKDIR [SECONDS] [ROUNDS]

1. Records: PUT and GET of a 1 KiB JSON record over HTTPS with authentication, AES-256-GCM and a
   durable audit event per request, 32 keep-alive connections (wrk), beside the same workload on a
   local PostgreSQL 15 (`synchronous_commit=on`, its default) with pgcrypto: pgbench, 32 clients,
   inserting and selecting rows sealed with `pgp_sym_encrypt`. Rounds alternate the two.
2. Files: a 256 MiB upload and download over HTTPS (curl, keep the connection), beside
   `openssl speed -evp aes-256-gcm` on 256 KiB blocks (the server's chunk size).
3. What bounds the records rows, in the same rounds with the same 32 connections: `GET /healthz`
   (TLS and HTTP with no work at all) and `GET /api/v1/me` (what every API request does before its
   own work: the bearer token resolved, an access decision, and its durable audit event).

Prints Markdown with medians and ratios. Everything runs on loopback and stops by itself.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from signin_flood import request  # noqa: E402  (one HTTPS request helper for both scripts)


def totp(secret_b32, t):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def ms(v):
    n, unit = float(re.match(r"[\d.]+", v).group()), re.sub(r"[\d.]+", "", v)
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]


PAYLOAD = "x" * 1000  # With the JSON around it, a 1 KiB record.

PUT_LUA = """
local n = 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
request = function()
  n = n + 1
  return wrk.format("PUT", "%(path)s/w" .. tid .. "-" .. n .. "-" .. math.random(1, 1e9),
                    {["Authorization"] = "Bearer %(token)s", ["Content-Type"] = "application/json"},
                    '{"payload":"%(payload)s"}')
end
"""

ME_LUA = """
request = function()
  return wrk.format("GET", "/api/v1/me", {["Authorization"] = "Bearer %(token)s"})
end
"""

HEALTHZ_LUA = """
request = function() return wrk.format("GET", "/healthz") end
"""

GET_LUA = """
request = function()
  return wrk.format("GET", "%(path)s/r" .. math.random(1, %(count)d),
                    {["Authorization"] = "Bearer %(token)s"})
end
"""


def wrk(script, url, seconds, work):
    path = os.path.join(work, "wrk.lua")
    with open(path, "w") as f:
        f.write(script)
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", path, url],
                         capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
            "p99": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
            "errors": int(errors.group(1)) if errors else 0}


class Postgres:
    """A throwaway PostgreSQL 15 cluster on a Unix socket, run as the postgres user."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        self.bin = "/usr/lib/postgresql/15/bin"
        self.run([f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres"])
        self.run([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
                  "-o", f"-k {self.dir} -c listen_addresses='' -c max_connections=100 "
                        "-c synchronous_commit=on -c fsync=on", "start"])
        self.sql("CREATE EXTENSION pgcrypto")
        self.sql("CREATE TABLE records (id bigint PRIMARY KEY, data bytea NOT NULL)")
        self.sql("INSERT INTO records SELECT g, pgp_sym_encrypt(repeat('x', 1024), 'bench-key') "
                 "FROM generate_series(1, 10000) g")

    def run(self, args, **kw):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + args, check=True,
                              capture_output=True, text=True, **kw)

    def sql(self, statement):
        self.run(["psql", "-h", self.dir, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement])

    def pgbench(self, script, seconds):
        path = os.path.join(self.dir, "script.sql")
        with open(path, "w") as f:
            f.write(script)
        shutil.chown(path, "postgres", "postgres")
        out = self.run(["pgbench", "-h", self.dir, "-U", "postgres", "-n", "-c", "32", "-j", "2",
                        "-T", str(seconds), "-f", path, "postgres"]).stdout
        return {"rps": float(re.search(r"tps = ([\d.]+)", out).group(1)),
                "latency": float(re.search(r"latency average = ([\d.]+) ms", out).group(1))}

    def stop(self):
        self.run([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop"])


PG_INSERT = ("\\set id random(100000, 9000000000000)\n"
             "INSERT INTO records VALUES (:id, pgp_sym_encrypt(repeat('x', 1024), 'bench-key')) "
             "ON CONFLICT (id) DO UPDATE SET data = excluded.data;\n")
PG_SELECT = ("\\set id random(1, 10000)\n"
             "SELECT pgp_sym_decrypt(data, 'bench-key') FROM records WHERE id = :id;\n")


def openssl_speed():
    out = subprocess.run(["openssl", "speed", "-evp", "aes-256-gcm", "-bytes", "262144",
                          "-seconds", "2"], capture_output=True, text=True, check=True).stdout
    v = re.search(r"^aes-256-gcm\s+([\d.]+)k", out, re.M | re.I).group(1)
    return float(v) * 1000 / 1e6  # MB/s


def curl_file(method, url, token, path, work):
    args = ["curl", "-sk", "-o", "/dev/null" if method == "PUT" else os.path.join(work, "down.bin"),
            "-w", "%{http_code} %{time_total}", "-H", f"Authorization: Bearer {token}"]
    if method == "PUT":
        args += ["-T", path, "-H", "Content-Type: application/octet-stream"]
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] in ("200", "201"), out
    return os.path.getsize(path) / float(out[1]) / 1e6


def main():
    binary, work = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    data = os.path.join(work, "vault-data")
    subprocess.run([binary, "init", "--data-dir", data, "--json"], capture_output=True, check=True)
    subprocess.run([binary, "tenant", "add", "Bench", "--data-dir", data], capture_output=True,
                   check=True)
    user = json.loads(subprocess.run(
        [binary, "user", "add", "--username", "bench-admin", "--role", "client_admin", "--tenant",
         "Bench", "--data-dir", data, "--json"], capture_output=True, text=True, check=True).stdout)
    tenant = json.loads(subprocess.run([binary, "tenant", "list", "--data-dir", data, "--json"],
                                       capture_output=True, text=True,
                                       check=True).stdout)["tenants"][0]["id"]
    server = subprocess.Popen([binary, "serve", "--data-dir", data, "--listen", "127.0.0.1:0",
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    pg = None
    try:
        port = int(json.loads(server.stdout.readline())["url"].rsplit(":", 1)[1])
        status, body = request(port, "POST", "/api/v1/auth/login",
                               {"username": "bench-admin", "password": user["password"],
                                "totp": totp(user["totp_secret"], time.time())})
        assert status == 200, body
        token = json.loads(body)["token"]
        base = f"/api/v1/tenants/{tenant}/collections/bench"
        status, body = request(port, "PUT", f"/api/v1/tenants/{tenant}/collections/bench",
                               {"classification": "confidential"},
                               [f"Authorization: Bearer {token}"])
        assert status == 200, body
        count = 2000
        for i in range(1, count + 1):
            status, body = request(port, "PUT", f"{base}/records/r{i}", {"payload": PAYLOAD},
                                   [f"Authorization: Bearer {token}"])
            assert status in (200, 201), body
        pg = Postgres(work)
        url = f"https://127.0.0.1:{port}"
        put = PUT_LUA % {"path": f"{base}/records", "token": token, "payload": PAYLOAD}
        get = GET_LUA % {"path": f"{base}/records", "token": token, "count": count}
        wrk(get, url, 2, work)  # Warm-up.
        me = ME_LUA % {"token": token}
        ours_put, ours_get, pg_put, pg_get, healthz, authed = [], [], [], [], [], []
        for _ in range(rounds):
            ours_put.append(wrk(put, url, seconds, work))
            pg_put.append(pg.pgbench(PG_INSERT, seconds))
            ours_get.append(wrk(get, url, seconds, work))
            pg_get.append(pg.pgbench(PG_SELECT, seconds))
            healthz.append(wrk(HEALTHZ_LUA, url, seconds, work))
            authed.append(wrk(me, url, seconds, work))

        blob = os.path.join(work, "file.bin")
        with open(blob, "wb") as f:
            f.write(os.urandom(256 << 20))
        up, down, speed = [], [], []
        for r in range(rounds):
            furl = f"{url}/api/v1/tenants/{tenant}/files/bench-{r}"
            speed.append(openssl_speed())
            up.append(curl_file("PUT", furl, token, blob, work))
            down.append(curl_file("GET", furl, token, blob, work))
        with open(os.path.join(work, "down.bin"), "rb") as a, open(blob, "rb") as b:
            assert hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest()
    finally:
        server.terminate()
        server.wait()
        if pg:
            pg.stop()

    med = lambda xs, k: statistics.median(x[k] for x in xs)  # noqa: E731
    print(f"## Vault records over HTTPS vs PostgreSQL 15 + pgcrypto ({rounds} alternating rounds "
          f"of {seconds} s, 32 connections, medians)")
    print()
    print("| workload | strongroom req/s | p50 | p99 | PostgreSQL+pgcrypto tps | ratio | target |")
    print("|---|---|---|---|---|---|---|")
    for label, ours, theirs, target in (("PUT 1 KiB record", ours_put, pg_put, 2),
                                        ("GET 1 KiB record", ours_get, pg_get, 3)):
        o, t = med(ours, "rps"), med(theirs, "rps")
        errors = sum(x["errors"] for x in ours)
        print(f"| {label} | {o:,.0f} | {med(ours, 'p50'):.1f} ms | {med(ours, 'p99'):.1f} ms | "
              f"{t:,.0f} | **{o / t:.2f}** | {target}x{' (errors: %d)' % errors if errors else ''} |")
    print()
    print("What bounds those rows (same rounds, same 32 connections; ratio to PostgreSQL's select "
          "rate):")
    print()
    print("| route | what it does | req/s | p99 | / PostgreSQL select |")
    print("|---|---|---|---|---|")
    select = med(pg_get, "rps")
    for label, what, xs in (
            ("GET /healthz", "TLS and HTTP only: no authentication, no audit event", healthz),
            ("GET /api/v1/me", "bearer token, access decision, one durable audit event", authed)):
        errors = sum(x["errors"] for x in xs)
        print(f"| {label} | {what} | {med(xs, 'rps'):,.0f} | {med(xs, 'p99'):.1f} ms | "
              f"{med(xs, 'rps') / select:.2f}{' (errors: %d)' % errors if errors else ''} |")
    print()
    s = statistics.median(speed)
    print(f"## Vault files over HTTPS, 256 MiB, curl ({rounds} rounds, medians)")
    print()
    print("| direction | MB/s | openssl speed aes-256-gcm 256 KiB | ratio | target |")
    print("|---|---|---|---|---|")
    for label, v in (("upload", statistics.median(up)), ("download", statistics.median(down))):
        print(f"| {label} | {v:,.0f} | {s:,.0f} | **{v / s:.2f}** | 0.5 |")
    print()


if __name__ == "__main__":
    main()
