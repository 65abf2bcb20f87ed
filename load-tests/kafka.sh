#!/usr/bin/env bash
# Kafka load test: starts a loopback broker (the jar's `broker` command) and REPLICAS replicas of the
# service in one consumer group, warms them up, runs the target rate, then sweeps the total rate
# with `loadgen kafka`, printing a table per run and collecting every run in one CSV. Bounded:
# every run stops by itself (warm-up + duration + at most 10 s of drain); a sweep stops after two
# failed steps. About (2 + steps) x (WARMUP + DURATION + 15 s), plus start-up.
#
#   load-tests/kafka.sh                                   # 1 replica, 28x28 frames, at_least_once
#   REPLICAS=2 PARTITIONS=6 RATES="400 800" load-tests/kafka.sh
#   SIZE=64 GUARANTEE=exactly_once TARGET=200 load-tests/kafka.sh
#   SERVER_SET="--set batching.maxBatchSize=128" load-tests/kafka.sh   # extra server settings
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/stream-denoiser.jar
OUT=target/load-tests
BROKER_PORT=${BROKER_PORT:-19092}
HTTP_PORT=${HTTP_PORT:-18180}            # replica i listens on HTTP_PORT + i
REPLICAS=${REPLICAS:-1}
PARTITIONS=${PARTITIONS:-6}
STREAMS=${STREAMS:-8}
SIZE=${SIZE:-28}
GUARANTEE=${GUARANTEE:-at_least_once}
WARMUP=${WARMUP:-5s}
DURATION=${DURATION:-20s}
TARGET=${TARGET:-400}                    # frames/s in all, split evenly over the streams
RATES=${RATES:-"200 400 600 800 1200 1600"}
P99_MS=${P99_MS:-250}
CSV=${CSV:-$OUT/kafka-$(date +%Y%m%d-%H%M%S).csv}
MODELS_DIR=${MODELS_DIR:-models}

[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
mkdir -p "$OUT" "$(dirname "$CSV")"
if [ ! -f "$MODELS_DIR/conv-upsample/model.onnx" ]; then
  [ -d target/test-classes ] || { echo "no $MODELS_DIR/conv-upsample and no test classes: run mvn -B test-compile" >&2; exit 2; }
  MODELS_DIR=$OUT/models
  java -cp "target/test-classes:$JAR" dev.denoiser.loadgen.LoadTestModel "$MODELS_DIR" 32
  echo "NOTE: serving a synthetic stand-in model (no trained conv-upsample in models/)"
fi

PIDS=()
cleanup() {
  # replicas first (they drain and commit), then the broker
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; wait "${PIDS[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$OUT/kafka-data"
java -jar "$JAR" broker --port "$BROKER_PORT" --data-dir "$OUT/kafka-data" > "$OUT/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do grep -q "broker ready on" "$OUT/broker.log" && break; sleep 0.5; done
grep -q "broker ready on" "$OUT/broker.log" || { echo "broker did not start; see $OUT/broker.log" >&2; exit 1; }

RC=""
[ "$GUARANTEE" = exactly_once ] && RC="--read-committed"
for i in $(seq 1 "$REPLICAS"); do
  # shellcheck disable=SC2086  # SERVER_SET holds extra "--set key=value" words
  java -jar "$JAR" serve --models-dir "$MODELS_DIR" --set http.host=127.0.0.1 --set http.port=$((HTTP_PORT + i)) \
    --set kafka.bootstrap.servers=127.0.0.1:"$BROKER_PORT" --set kafka.topic.partitions="$PARTITIONS" \
    --set kafka.processing.guarantee="$GUARANTEE" --set kafka.transactionalIdPrefix=load-"$i" \
    --set kafka.demo.enabled=false --set inference.intraOpThreads=1 ${SERVER_SET:-} > "$OUT/replica-$i.log" 2>&1 &
  PIDS+=($!)
done
for i in $(seq 1 "$REPLICAS"); do
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$((HTTP_PORT + i))/v2/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$((HTTP_PORT + i))/v2/health/ready" >/dev/null || { echo "replica $i not ready; see $OUT/replica-$i.log" >&2; exit 1; }
done
echo "broker 127.0.0.1:$BROKER_PORT, $REPLICAS replica(s), $PARTITIONS partitions, $GUARANTEE, ${SIZE}x$SIZE frames, models $MODELS_DIR; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

loadgen() {  # loadgen TOTAL_RATE [extra args]
  local total=$1; shift
  java -jar "$JAR" loadgen kafka --bootstrap 127.0.0.1:"$BROKER_PORT" --streams "$STREAMS" --size "$SIZE" $RC \
    --rate "$(awk -v t="$total" -v s="$STREAMS" 'BEGIN { printf "%.3f", t / s }')" --p99-slo-ms "$P99_MS" "$@" || true
}

echo "== warm-up (JIT), not recorded"
loadgen "$TARGET" --warmup 0s --duration 10s --csv "$OUT/kafka-warmup.csv" > /dev/null

echo "== target: $TARGET frames/s"
loadgen "$TARGET" --warmup "$WARMUP" --duration "$DURATION" --csv "$CSV"

echo "== sweep"
fails=0
for rate in $RATES; do
  out=$(loadgen "$rate" --warmup "$WARMUP" --duration "$DURATION" --csv "$CSV")
  echo "$out" | tail -n +2
  if echo "$out" | grep -q "NOT ok"; then fails=$((fails + 1)); else fails=0; fi
  [ "$fails" -ge 2 ] && break
done

echo "== all runs ($CSV)"
column -s, -t < "$CSV"
