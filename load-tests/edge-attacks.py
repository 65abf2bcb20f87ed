#!/usr/bin/env python3
"""Replays the HTTP edge attacks against a running service and prints one Markdown table row each.

Every attack is bounded (connection counts and timeouts below). For each: the status codes seen,
the resident memory (VmRSS of --pid from /proc) before and after, the slowest /v2/health/ready
answer while the attack ran, and whether the service is still ready at the end.

  python3 load-tests/edge-attacks.py --port 8080 --pid <service pid> --token <auth.token>
"""
import argparse, collections, json, socket, struct, threading, time, zlib

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, default=8080)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--token", required=True)
p.add_argument("--model", default="conv-upsample")
p.add_argument("--posts", type=int, default=40)
p.add_argument("--slow", type=int, default=200)
a = p.parse_args()


def rss_mb():
    for line in open(f"/proc/{a.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return -1


def raw(head, body=b"", timeout=20):
    s = socket.create_connection((a.host, a.port), timeout=timeout)
    try:
        s.sendall(head.encode("latin-1") + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return 0
            data += chunk
        return int(data[9:12])
    except OSError:
        return 0
    finally:
        s.close()


def ready_once():
    t = time.monotonic()
    code = raw(f"GET /v2/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=10)
    return code, (time.monotonic() - t) * 1000


class Probe(threading.Thread):
    """Polls readiness every 100 ms while an attack runs; keeps the slowest answer."""
    def __init__(self):
        super().__init__(daemon=True)
        self.stop, self.worst, self.bad = False, 0.0, 0

    def run(self):
        while not self.stop:
            code, ms = ready_once()
            self.worst = max(self.worst, ms)
            self.bad += code != 200
            time.sleep(0.1)


def attack(name, fn):
    before = rss_mb()
    probe = Probe()
    probe.start()
    codes = collections.Counter(fn())
    probe.stop = True
    probe.join()
    after = rss_mb()
    ready = ready_once()[0] == 200
    shown = ", ".join(f"{k}x{v}" if v > 1 else str(k) for k, v in sorted(codes.items()))
    print(f"| {name} | {shown} | {before} -> {after} | {probe.worst:.0f} | {'yes' if ready else 'NO'} |", flush=True)


AUTH = f"Authorization: Bearer {a.token}\r\n"


def big_posts():
    out = []
    def one():
        s = socket.create_connection((a.host, a.port), timeout=20)
        code = 0
        try:
            s.sendall((f"POST /v1/models/{a.model}/denoise?width=4096&height=5120 HTTP/1.1\r\nHost: x\r\n"
                       f"Content-Type: application/x-gray8\r\nContent-Length: {20 << 20}\r\n\r\n").encode())
            chunk = b"\0" * 65536
            sent = 0
            s.setblocking(False)
            data = b""
            while sent < (20 << 20) and b"\r\n\r\n" not in data:
                try:
                    sent += s.send(chunk)
                except BlockingIOError:
                    time.sleep(0.01)
                except OSError:
                    break
                try:
                    data += s.recv(4096)
                except (BlockingIOError, OSError):
                    pass
            s.settimeout(10)
            while b"\r\n\r\n" not in data:
                c = s.recv(4096)
                if not c:
                    break
                data += c
            code = int(data[9:12]) if data.startswith(b"HTTP") else 0
        except OSError:
            pass
        finally:
            s.close()
        out.append(code)
    ts = [threading.Thread(target=one) for _ in range(a.posts)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    return out


def slowloris():
    socks = []
    for _ in range(a.slow):
        try:
            s = socket.create_connection((a.host, a.port), timeout=5)
            s.sendall(b"GET /v2/health/live HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        except OSError:
            socks.append(None)
    closed = collections.Counter()
    end = time.monotonic() + 30
    alive = [s for s in socks if s]
    closed["refused"] = len(socks) - len(alive)
    while alive and time.monotonic() < end:
        for s in list(alive):
            try:
                s.sendall(b"X")
            except OSError:
                closed["closed"] += 1
                alive.remove(s)
        time.sleep(0.5)
    closed["still open"] = len(alive)
    [s.close() for s in alive]
    return [f"{k}" for k, v in closed.items() for _ in range(v)]


def idle_ws():
    socks, codes = [], []
    for _ in range(a.slow):
        s = socket.create_connection((a.host, a.port), timeout=90)
        s.sendall((f"GET /v1/stream?format=gray8&width=28&height=28 HTTP/1.1\r\nHost: x\r\n{AUTH}Upgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        socks.append(s)
    for s in socks:
        data = b""
        try:
            while True:  # read until the server closes: the close frame's code is in the last frame
                c = s.recv(4096)
                if not c:
                    break
                data += c
        except OSError:
            pass
        i = data.find(b"\x88")
        codes.append(f"101+close {struct.unpack('>H', data[i + 2:i + 4])[0]}" if i >= 0 and len(data) >= i + 4 else "no close frame")
        s.close()
    return codes


def malformed_kserve():
    bodies = ['{"inputs":[1]}', '{"inputs":[null]}', '{"inputs":[{"name":"noisy","datatype":"FP32","shape":["1","1","2","2"]}]}', '{}']
    out = []
    for i in range(200):
        b = bodies[i % len(bodies)].encode()
        out.append(raw(f"POST /v2/models/{a.model}/infer HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
                       f"Content-Length: {len(b)}\r\nConnection: close\r\n\r\n", b))
    return out


def overflow_png():
    ihdr = struct.pack(">IIBBBBB", 0xFFFFFFFF, 0xFFFFFFFF, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return [raw(f"POST /v1/models/{a.model}/denoise HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: image/png\r\n"
                f"Content-Length: {len(png)}\r\nConnection: close\r\n\r\n", png) for _ in range(20)]


def query_token():
    return [raw(f"GET {p}?access_token={a.token} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            for p in ["/v1/models", "/metrics", f"/v2/models/{a.model}", "/v1/samples/digits"]]


def rebinding():
    return [raw(f"GET /v1/stream?format=gray8&width=28&height=28 HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n{AUTH}"
                f"Origin: http://rebound.attacker.example:{a.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n") for _ in range(10)]


def not_found():
    return [raw(f"{m} {p} HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Length: 0\r\nConnection: close\r\n\r\n")
            for m, p in [("GET", "/nope"), ("DELETE", f"/v1/models/{a.model}/denoise"), ("GET", f"/v2/models/{a.model}/infer")]]


print("| Attack | Answers | RSS MB before -> after | Slowest readiness ms | Still ready |")
print("| --- | --- | --- | --- | --- |")
attack(f"{a.posts} concurrent unauthenticated 20 MB POSTs", big_posts)
attack(f"{a.slow} slowloris connections (a header byte every 0.5 s)", slowloris)
attack(f"{a.slow} idle WebSockets", idle_ws)
attack("200 malformed KServe requests", malformed_kserve)
attack("20 PNGs declaring 0xFFFFFFFF x 0xFFFFFFFF", overflow_png)
attack("?access_token= on 4 other routes", query_token)
attack("10 WebSocket upgrades from a DNS-rebound origin", rebinding)
attack("unknown route, wrong methods", not_found)
