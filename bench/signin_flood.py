#!/usr/bin/env python3
"""p99 of an authenticated route with and without a flood of sign-in attempts.

Usage: signin_flood.py STRONGROOM_BINARY WORKDIR [SECONDS]

A third measurement is a control: the same route while a CPU busy loop runs at nice 19 in another
process, with no sign-ins at all. It tells what any background CPU work costs p99 on this machine.

Starts `strongroom serve` on a fresh data directory, signs the admin in, and runs wrk on
GET /api/v1/me (bearer token) twice: alone, and while threads flood POST /api/v1/auth/login with
failing sign-ins. The flood comes from many 127.x.y.z source addresses, each staying under the
per-address limit, so every attempt reaches Argon2id (or the sign-in queue's 503). Prints Markdown.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time


def totp(secret_b32: str, t: float) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{code:06d}"


class Connection:
    """A keep-alive HTTPS connection from one source address."""

    def __init__(self, port, source="127.0.0.1"):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection(("127.0.0.1", port), timeout=60,
                                       source_address=(source, 0))
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.buffer = b""

    def request(self, method, path, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
        for h in headers:
            head += h + "\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + data)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
        while len(self.buffer) < length:
            self.buffer += self._recv()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(head.split(b" ", 2)[1]), body

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise OSError("connection closed")
        return chunk

    def close(self):
        self.sock.close()


def request(port, method, path, body=None, headers=(), source="127.0.0.1"):
    c = Connection(port, source)
    try:
        return c.request(method, path, body, headers)
    finally:
        c.close()


def run_wrk(port, token, seconds):
    out = subprocess.run(
        ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}",
         f"https://127.0.0.1:{port}/api/v1/me"], capture_output=True, text=True, check=True).stdout
    def ms(v):
        n, unit = float(re.match(r"[\d.]+", v).group()), re.sub(r"[\d.]+", "", v)
        return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
            ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
            "Non-2xx" in out or "Socket errors" in out)


def main():
    binary, work = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    data = os.path.join(work, "flood-data")
    created = json.loads(subprocess.run([binary, "init", "--data-dir", data, "--json"],
                                        capture_output=True, text=True, check=True).stdout)
    server = subprocess.Popen([binary, "serve", "--data-dir", data, "--listen", "127.0.0.1:0",
                               "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(json.loads(server.stdout.readline())["url"].rsplit(":", 1)[1])
        admin = created["admin"]
        status, body = request(port, "POST", "/api/v1/auth/login",
                               {"username": "admin", "password": admin["password"],
                                "totp": totp(admin["totp_secret"], time.time())})
        assert status == 200, body
        token = json.loads(body)["token"]
        run_wrk(port, token, 2)  # Warm-up.
        alone = [run_wrk(port, token, seconds) for _ in range(3)]

        stop = threading.Event()
        counts = {}
        lock = threading.Lock()

        def flood(worker):
            n = 0
            conn = None
            while not stop.is_set():
                # A new address (and connection) every 10 attempts keeps each address under the
                # per-address limit (20); keep-alive keeps the load generator's TLS cost out of it.
                if n % 10 == 0:
                    if conn:
                        conn.close()
                    source = f"127.{1 + worker}.{(n // 10) // 250 % 250 + 1}.{(n // 10) % 250 + 1}"
                    conn = Connection(port, source)
                try:
                    st, _ = conn.request("POST", "/api/v1/auth/login",
                                         {"username": f"nobody-{worker}-{n}",
                                          "password": "wrong wrong"})
                except OSError:
                    st = "error"
                    conn = None
                    n = (n // 10 + 1) * 10 - 1
                with lock:
                    counts[st] = counts.get(st, 0) + 1
                n += 1
            if conn:
                conn.close()

        threads = [threading.Thread(target=flood, args=(i,), daemon=True) for i in range(12)]
        for t in threads:
            t.start()
        time.sleep(2)
        flooded = [run_wrk(port, token, seconds) for _ in range(3)]
        stop.set()
        for t in threads:
            t.join()
        # Control: no sign-ins, just a CPU busy loop at the lowest priority in another process.
        # It shows what any background CPU work costs this machine's p99.
        burner = subprocess.Popen(["nice", "-n", "19", "sh", "-c", "while :; do :; done"])
        try:
            time.sleep(1)
            control = [run_wrk(port, token, seconds) for _ in range(3)]
        finally:
            burner.kill()
            burner.wait()
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(rows, i):
        return sorted(r[i] for r in rows)[len(rows) // 2]
    print(f"## GET /api/v1/me (bearer) while sign-ins are flooded: wrk -t1 -c8, 3 runs of {seconds} s each, medians")
    print()
    print("| condition | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for name, rows in (("alone", alone), ("sign-in flood", flooded),
                       ("control: busy loop at nice 19, no sign-ins", control)):
        print(f"| {name} | {median(rows, 0):.0f} | {median(rows, 1):.2f} | {median(rows, 2):.2f} |")
    print()
    print(f"p99 under the flood / p99 alone: **{median(flooded, 2) / median(alone, 2):.2f}** "
          "(target at most 2.0)")
    print()
    print(f"p99 under the control / p99 alone: **{median(control, 2) / median(alone, 2):.2f}**")
    print()
    total = sum(v for v in counts.values())
    print(f"Sign-in attempts during the flood: {total} "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(counts.items(), key=str))}); "
          "401 = Argon2id ran, 503 = the sign-in queue was full")
    print()


if __name__ == "__main__":
    main()
