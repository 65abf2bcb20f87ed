#!/usr/bin/env bash
# Memory abuse run: starts the service with the Docker image's heap (-Xmx1228m) on loopback, Kafka
# off, a bearer token set, and fires the memory attacks one after the other while a prober polls
# /v2/health/ready every 200 ms:
#   1. 80 concurrent 20 MB POSTs (valid token)
#   2. one 2048x2048 gray frame, then one 3840x2160 gray frame, to natural-gray
#   3. the decompression bomb: a ~130 KB PNG declaring 4096x4096 16-bit RGBA, 6 at once
#   4. the same bomb at 2048x2048 (within frame.maxPixels, so it is really decoded), 6 at once
# For each it prints a Markdown row: attack | answers | RSS before | RSS after | worst readiness |
# still ready. Bounded: every request has a 180 s limit, the whole run takes a few minutes.
#
#   load-tests/memory-abuse.sh                         # the jar, target/stream-denoiser.jar
#   CP=target/classes:$(cat cp.txt) load-tests/memory-abuse.sh   # the compiled classes instead
#   SERVER_SET="--set memory.inflightBytes=200000000" load-tests/memory-abuse.sh
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-target/stream-denoiser.jar}
CP=${CP:-}
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
HEAP=${HEAP:-1228m}
TOKEN=${TOKEN:-abuse-test-token}
MODEL=${MODEL:-natural-gray}
SERVER_SET=${SERVER_SET:-}
OUT=${OUT:-target/memory-abuse}
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT"

if [[ -n "$CP" ]]; then
  LAUNCH=(java "-Xmx$HEAP" -cp "$CP" dev.denoiser.cli.Main)
else
  [[ -f "$JAR" ]] || { echo "no $JAR: build it with mvn -B -DskipTests package, or set CP" >&2; exit 1; }
  LAUNCH=(java "-Xmx$HEAP" -jar "$JAR")
fi

# The test images, built with python's zlib (no image library needed).
python3 - "$OUT" <<'PY'
import random, struct, sys, zlib
out = sys.argv[1]
def png(path, w, h, depth, colour, rows):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    z = zlib.compressobj(9)
    data = b"".join(z.compress(r) for r in rows) + z.flush()
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
                + chunk(b"IDAT", data) + chunk(b"IEND", b""))
def zeros(w, h, bytes_per_px):
    row = b"\0" * (1 + w * bytes_per_px)
    return (row for _ in range(h))
def noise(w, h, seed):
    rnd = random.Random(seed)
    base = bytes(rnd.randrange(256) for _ in range(w * 4))
    return (b"\0" + base[(y * 7) % (3 * w):(y * 7) % (3 * w) + w] for y in range(h))
png(out + "/bomb-4096.png", 4096, 4096, 16, 6, zeros(4096, 4096, 8))
png(out + "/bomb-2048.png", 2048, 2048, 16, 6, zeros(2048, 2048, 8))
png(out + "/gray-2048x2048.png", 2048, 2048, 8, 0, noise(2048, 2048, 1))
png(out + "/gray-3840x2160.png", 3840, 2160, 8, 0, noise(3840, 2160, 2))
PY
head -c $((20 << 20)) /dev/zero > "$OUT/body-20mb.bin"

"${LAUNCH[@]}" serve --set http.port=$PORT --set http.host=127.0.0.1 --set kafka.enabled=false \
  --set auth.token=$TOKEN --set models.watchIntervalMillis=0 $SERVER_SET > "$OUT/server.log" 2>&1 &
PID=$!
PROBER=
cleanup() {
  [[ -n "$PROBER" ]] && kill "$PROBER" 2>/dev/null || true
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 480); do
  kill -0 "$PID" 2>/dev/null || { echo "server exited; see $OUT/server.log" >&2; exit 1; }
  grep -q "serving .* model" "$OUT/server.log" && curl -sf -o /dev/null "$URL/v2/health/ready" && break
  sleep 0.5
done
curl -sf -o /dev/null "$URL/v2/health/ready" || { echo "server not ready in 240 s" >&2; exit 1; }

rss() { if kill -0 "$PID" 2>/dev/null; then awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$PID/status"; else echo "exited"; fi; }
# readiness latencies (seconds) of the running attack go to $OUT/ready.txt
probe() {
  while true; do
    curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' "$URL/v2/health/ready" >> "$OUT/ready.txt" || true
    sleep 0.2
  done
}
worst() { awk 'BEGIN {m = 0} {if ($2 > m) m = $2} END {printf "%d ms", m * 1000}' "$OUT/ready.txt"; }
ready_now() { [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL/v2/health/ready")" == 200 ]] && echo yes || echo NO; }
codes() { sort "$1" | uniq -c | awk '{printf "%s%d x %s", (NR > 1 ? ", " : ""), $1, $2}'; }

post() { # file content-type query -> status code
  curl -s -o /dev/null -m 180 -w '%{http_code}\n' -H "Authorization: Bearer $TOKEN" -H "Content-Type: $2" \
    --data-binary @"$1" "$URL/v1/models/$MODEL/denoise$3" || true
}

attack() { # name, then the command that fires it (appends status codes to $OUT/codes.txt)
  local name=$1; shift
  : > "$OUT/ready.txt"; : > "$OUT/codes.txt"
  local before; before=$(rss)
  probe & PROBER=$!
  local t0; t0=$(date +%s%N)
  "$@"
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  sleep 1
  kill "$PROBER" 2>/dev/null || true; wait "$PROBER" 2>/dev/null || true; PROBER=
  printf '| %s | %s (%d.%d s) | %s | %s | %s | %s |\n' "$name" "$(codes "$OUT/codes.txt")" $((ms / 1000)) $((ms % 1000 / 100)) \
    "$before" "$(rss)" \
    "$(worst)" "$(ready_now)"
}

many() { # n file content-type query
  local n=$1; shift
  local pids=()
  for _ in $(seq 1 "$n"); do post "$@" >> "$OUT/codes.txt" & pids+=($!); done
  wait "${pids[@]}" || true
}

echo "| attack | answers | RSS before | RSS after | worst readiness | still ready |"
echo "|---|---|---|---|---|---|"
attack "80 x 20 MB POST at once" many 80 "$OUT/body-20mb.bin" application/x-gray8 "?width=4096&height=5120"
attack "one 2048x2048 gray PNG" many 1 "$OUT/gray-2048x2048.png" image/png ""
attack "one 3840x2160 gray PNG" many 1 "$OUT/gray-3840x2160.png" image/png ""
attack "PNG bomb 4096x4096 16-bit RGBA ($(( $(stat -c %s "$OUT/bomb-4096.png") / 1024 )) KB) x 6" \
  many 6 "$OUT/bomb-4096.png" image/png ""
attack "PNG bomb 2048x2048 16-bit RGBA ($(( $(stat -c %s "$OUT/bomb-2048.png") / 1024 )) KB) x 6" \
  many 6 "$OUT/bomb-2048.png" image/png ""
kill -0 "$PID" 2>/dev/null && echo "server still running (pid $PID), RSS $(rss)" || echo "SERVER EXITED"
