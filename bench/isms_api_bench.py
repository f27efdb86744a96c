#!/usr/bin/env python3
"""The controls list route with 10,000 controls over HTTPS: latency of GET /api/v1/controls pages.

Usage: isms_api_bench.py STRONGROOM_BINARY WORKDIR [REQUESTS] [CONNECTIONS]

Creates a data directory (init installs the default library), adds an auditor, then inserts
controls up to 10,000 with SQL before serving (each mapped to three requirements, as the library's
are), serves, signs the auditor in with a real TOTP code and sends REQUESTS (default 2,000) list
requests of 100 controls at random pages (cursors collected by one walk through the list) over CONNECTIONS (default 4) keep-alive connections
in parallel threads. Prints Markdown with p50, p90 and p99. Target: p99 under 100 ms.
"""
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from signin_flood import Connection, request  # noqa: E402
from vault_bench import totp  # noqa: E402


def main():
    binary, work = sys.argv[1], sys.argv[2]
    total = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    connections = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "isms-api-data")
    shutil.rmtree(data, ignore_errors=True)
    run = lambda *a: subprocess.run([binary, *a, "--data-dir", data, "--json"],  # noqa: E731
                                    capture_output=True, text=True, check=True).stdout
    run("init")
    auditor = json.loads(run("user", "add", "--username", "bench-auditor", "--role", "auditor"))
    db = sqlite3.connect(os.path.join(data, "strongroom.db"))
    owner = db.execute("SELECT id FROM users WHERE username = 'admin'").fetchone()[0]
    existing = db.execute("SELECT COUNT(*) FROM isms_controls").fetchone()[0]
    reqs = [r[0] for r in db.execute(
        "SELECT id FROM isms_requirements WHERE framework_id = 'iso27001-2022' AND kind = 'control'")]
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    with db:
        for i in range(10000 - existing):
            cid = f"BENCH-{i:05d}"
            db.execute("INSERT INTO isms_controls (id, created_at, created_by, origin, "
                       "current_version) VALUES (?, ?, 'bench', 'custom', 1)", (cid, now))
            db.execute("INSERT INTO isms_control_versions (control_id, version, valid_from, title, "
                       "description, owner_id, status, justification, review_every_days, "
                       "next_review, changed_by) VALUES (?, 1, ?, ?, 'A benchmark control.', ?, "
                       "'implemented', '', 365, '2027-06-30', 'bench')",
                       (cid, now, f"Benchmark control {i}", owner))
            for r in random.sample(reqs, 3):
                db.execute("INSERT INTO isms_control_requirements (control_id, version, "
                           "framework_id, requirement_id, source) VALUES (?, 1, 'iso27001-2022', "
                           "?, 'ours')", (cid, r))
    count = db.execute("SELECT COUNT(*) FROM isms_controls").fetchone()[0]
    db.close()
    server = subprocess.Popen([binary, "serve", "--data-dir", data, "--listen", "127.0.0.1:0",
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    try:
        port = int(json.loads(server.stdout.readline())["url"].rsplit(":", 1)[1])
        status, body = request(port, "POST", "/api/v1/auth/login",
                               {"username": "bench-auditor", "password": auditor["password"],
                                "totp": totp(auditor["totp_secret"], time.time())})
        assert status == 200, body
        auth = [f"Authorization: Bearer {json.loads(body)['token']}"]
        # Every page's cursor (they are opaque), from one walk through the list.
        cursors = [None]
        conn = Connection(port)
        while True:
            path = "/api/v1/controls?limit=100"
            if cursors[-1]:
                path += f"&cursor={cursors[-1]}"
            status, page = conn.request("GET", path, None, auth)
            assert status == 200, page
            nxt = json.loads(page)["next_cursor"]
            if not nxt:
                break
            cursors.append(nxt)
        conn.close()
        latencies = []
        lock = threading.Lock()

        def worker(n):
            conn = Connection(port)
            rng = random.Random()
            mine = []
            for _ in range(n):
                cursor = rng.choice(cursors)
                path = "/api/v1/controls?limit=100" + (f"&cursor={cursor}" if cursor else "")
                start = time.monotonic()
                status, page = conn.request("GET", path, None, auth)
                mine.append((time.monotonic() - start) * 1000)
                assert status == 200, page
            conn.close()
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=worker, args=(total // connections,))
                   for _ in range(connections)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait()
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]  # noqa: E731
    print(f"## Controls list over HTTPS ({count:,} controls, {len(latencies):,} requests, "
          f"{connections} connections)")
    print()
    print("| requests/s | p50 | p90 | p99 | target |")
    print("|---|---|---|---|---|")
    print(f"| {len(latencies) / elapsed:,.0f} | {pct(0.5):.1f} ms | {pct(0.9):.1f} ms | "
          f"**{pct(0.99):.1f} ms** | p99 under 100 ms |")
    print()


if __name__ == "__main__":
    main()
