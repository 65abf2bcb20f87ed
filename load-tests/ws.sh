#!/usr/bin/env bash
# WebSocket load test: starts the service from the jar on loopback, runs the target load
# (32 clients x 30 frames/s of 28x28 digits, live and lossless), then a rate sweep per mode,
# printing a table per run and collecting every run in one CSV. Bounded: every run stops by
# itself; the whole script takes about (2 + 2 x steps) x (DURATION + 5 s).
#
#   load-tests/ws.sh                 # models from ./models (or a synthetic stand-in, see README)
#   MODELS_DIR=/path/to/models DURATION=20s RATES="30 60 90 120" load-tests/ws.sh
#   MODEL=conv-upsample-fast load-tests/ws.sh                          # another served model
#   SERVER_SET="--set batching.maxBatchSize=32" load-tests/ws.sh        # server settings (replace the default)
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/stream-denoiser.jar
PORT=${PORT:-18080}
CLIENTS=${CLIENTS:-32}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
RATES=${RATES:-"30 45 60 90 120 180 240"}
CSV=${CSV:-target/load-tests/ws-$(date +%Y%m%d-%H%M%S).csv}
MODELS_DIR=${MODELS_DIR:-models}
MODEL=${MODEL:-conv-upsample}            # the served model the clients ask for

[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
if [ ! -f "$MODELS_DIR/conv-upsample/model.onnx" ]; then
  [ -d target/test-classes ] || { echo "no $MODELS_DIR/conv-upsample and no test classes: run mvn -B test-compile" >&2; exit 2; }
  MODELS_DIR=target/load-tests/models
  java -cp "target/test-classes:$JAR" dev.denoiser.loadgen.LoadTestModel "$MODELS_DIR" 32
  echo "NOTE: serving a synthetic stand-in model (no trained conv-upsample in models/)"
fi
mkdir -p "$(dirname "$CSV")"

# One ONNX Runtime thread per run by default: on a 2-core machine a second intra-op thread spins
# between runs and takes the CPU the event loops need (p99 about 5x worse in our runs).
SERVER_SET=${SERVER_SET-"--set inference.intraOpThreads=1"}
# shellcheck disable=SC2086  # SERVER_SET holds extra "--set key=value" words
java -jar "$JAR" serve --models-dir "$MODELS_DIR" --set http.host=127.0.0.1 --set http.port="$PORT" \
  --set stream.maxConnections=4096 ${SERVER_SET:-} > target/load-tests/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { echo "server did not start; see target/load-tests/server.log" >&2; exit 1; }
  sleep 0.5
done
echo "server ready on port $PORT (models: $MODELS_DIR); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

loadgen() {
  java -jar "$JAR" loadgen ws --url "ws://127.0.0.1:$PORT/v1/stream" --clients "$CLIENTS" \
    --model "$MODEL" --warmup "$WARMUP" --duration "$DURATION" --csv "$CSV" "$@" || true
}

echo "== warm-up runs (JIT), not recorded"
for mode in lossless live; do
  java -jar "$JAR" loadgen ws --url "ws://127.0.0.1:$PORT/v1/stream" --clients "$CLIENTS" --rate 30 \
    --model "$MODEL" --mode "$mode" --warmup 0s --duration "${JIT_WARMUP:-20s}" --csv target/load-tests/warmup.csv > /dev/null || true
done

echo "== target: $CLIENTS clients x 30 frames/s"
loadgen --mode live --rate 30
loadgen --mode lossless --rate 30

for mode in live lossless; do
  echo "== sweep, $mode mode"
  fails=0
  for rate in $RATES; do
    out=$(loadgen --mode "$mode" --rate "$rate")
    echo "$out" | tail -n +2
    if echo "$out" | grep -q "NOT ok"; then fails=$((fails + 1)); else fails=0; fi
    [ "$fails" -ge 2 ] && break
  done
done

echo "== all runs ($CSV)"
column -s, -t < "$CSV"
