#!/usr/bin/env python3
"""Backup and verification throughput beside `sqlite3 .backup` + `zstd | openssl enc`.

Usage: backup_bench.py STRONGROOM_BINARY WORKDIR [GIB] [ROUNDS]

Fills a data directory with GIB GiB (default 1) of vault records through the HTTPS API: 256 KiB
JSON records of random base64 text, encrypted at rest like every record (so the store does not
compress, for either side). Then, in alternating rounds:
- ours: `strongroom backup create --to DEST` (consistent snapshot of strongroom.db and audit.db,
  tenant keys sealed apart, zstd, AES-256-GCM chunks, SHA-256 of every entry and of the payload,
  fsync), and `strongroom backup verify` (restore into scratch, audit log verified, every tenant's
  records counted and a sample decrypted, the signed outcome recorded);
- the reference: for each of strongroom.db and audit.db, `sqlite3 DB ".backup COPY"` then
  `zstd -3 -c COPY | openssl enc -aes-256-ctr -pbkdf2 -pass ... > COPY.zst.enc`, and for
  verification the reverse, `openssl enc -d | zstd -d > DB`, then `sqlite3 DB "PRAGMA
  quick_check"`.
Throughput is the two databases' size on disk divided by wall time. Prints Markdown with medians
and ratios.
"""
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from signin_flood import Connection, request  # noqa: E402
from vault_bench import totp  # noqa: E402


def timed(cmd, **kw):
    start = time.monotonic()
    subprocess.run(cmd, check=True, capture_output=True, **kw)
    return time.monotonic() - start


def fill(binary, data, gib):
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
    try:
        port = int(json.loads(server.stdout.readline())["url"].rsplit(":", 1)[1])
        status, body = request(port, "POST", "/api/v1/auth/login",
                               {"username": "bench-admin", "password": user["password"],
                                "totp": totp(user["totp_secret"], time.time())})
        assert status == 200, body
        auth = [f"Authorization: Bearer {json.loads(body)['token']}"]
        base = f"/api/v1/tenants/{tenant}/collections/bench"
        status, body = request(port, "PUT", base, {"classification": "confidential"}, auth)
        assert status == 200, body
        conn = Connection(port, "127.0.0.1")
        n = int(gib * 4096)
        for i in range(n):
            text = base64.b64encode(os.urandom(192 * 1024)).decode()  # 256 KiB of JSON.
            status, body = conn.request("PUT", f"{base}/records/r{i}", {"blob": text}, auth)
            assert status in (200, 201), body
        conn.close()
    finally:
        server.terminate()
        server.wait()


def main():
    binary, work = sys.argv[1], sys.argv[2]
    gib = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    data = os.path.join(work, "backup-data")
    dest = os.path.join(work, "backup-dest")
    ref = os.path.join(work, "backup-ref")
    os.makedirs(work, exist_ok=True)
    fill(binary, data, gib)
    dbs = [os.path.join(data, "strongroom.db"), os.path.join(data, "audit.db")]
    size = sum(os.path.getsize(p) for p in dbs)
    ours_create, ours_verify, ref_create, ref_verify = [], [], [], []
    for _ in range(rounds):
        shutil.rmtree(dest, ignore_errors=True)
        shutil.rmtree(ref, ignore_errors=True)
        os.makedirs(ref)
        start = time.monotonic()
        out = subprocess.run([binary, "backup", "create", "--data-dir", data, "--to", dest,
                              "--json"], check=True, capture_output=True, text=True).stdout
        ours_create.append(time.monotonic() - start)
        backup_id = json.loads(out)["id"]
        ours_verify.append(timed([binary, "backup", "verify", "--data-dir", data, "--from",
                                  os.path.join(dest, backup_id)]))

        create = verify = 0.0
        for db in dbs:
            copy = os.path.join(ref, os.path.basename(db))
            enc = copy + ".zst.enc"
            create += timed(["sqlite3", db, f".backup '{copy}'"])
            create += timed(["bash", "-c", f"zstd -3 -q -c '{copy}' | openssl enc -aes-256-ctr "
                                           f"-pbkdf2 -pass pass:bench -out '{enc}'"])
            restored = copy + ".restored"
            verify += timed(["bash", "-c", f"openssl enc -d -aes-256-ctr -pbkdf2 -pass pass:bench "
                                           f"-in '{enc}' | zstd -d -q -o '{restored}'"])
            verify += timed(["sqlite3", restored, "PRAGMA quick_check"])
        ref_create.append(create)
        ref_verify.append(verify)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.rmtree(ref, ignore_errors=True)

    mb = size / 1e6
    print(f"## Backups of a {mb:,.0f} MB store ({rounds} alternating rounds, medians)")
    print()
    print("| operation | strongroom | MB/s | sqlite3 .backup + zstd + openssl | MB/s | ratio |")
    print("|---|---|---|---|---|---|")
    for label, ours, theirs in (("backup", ours_create, ref_create),
                                ("verify (restore and check)", ours_verify, ref_verify)):
        o, t = statistics.median(ours), statistics.median(theirs)
        print(f"| {label} | {o:.2f} s | {mb / o:,.0f} | {t:.2f} s | {mb / t:,.0f} | "
              f"**{t / o:.2f}** |")
    print()


if __name__ == "__main__":
    main()
