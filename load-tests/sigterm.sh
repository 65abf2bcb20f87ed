#!/usr/bin/env bash
# SIGTERM under load: RUNS times, start a replica of the service against a loopback broker while a
# feed keeps writing 32x32 frames to the input topic, send it 2048x2048 frames over HTTP, and send
# SIGTERM while ONNX Runtime runs one of them. Each run must exit 0 with no JVM crash report;
# afterwards every input the group committed must have an output (denoised or dead letter), every
# answered input must be committed, and no input may have two outputs.
# Bounded: each replica gets START_S to start and STOP_S to drain; about 1 minute per run.
#
#   load-tests/sigterm.sh                     # 10 runs, at_least_once
#   RUNS=3 GUARANTEE=exactly_once load-tests/sigterm.sh
set -uo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
GUARANTEE=${GUARANTEE:-at_least_once}
RATE=${RATE:-100}                       # Kafka frames/s of the feed
SIDE=${SIDE:-2048}                      # large frame: SIDE x SIDE gray8 to natural-gray
HTTP_PORT=${HTTP_PORT:-18280}
START_S=${START_S:-240}
STOP_S=${STOP_S:-180}
OUT=${OUT:-target/load-tests/sigterm-$(date +%Y%m%d-%H%M%S)}
JVM=${JVM:-"-Xmx1g"}

if [ -n "${CP:-}" ]; then :
elif [ -f target/stream-denoiser.jar ]; then CP=target/stream-denoiser.jar
elif [ -f cp.txt ] && [ -d target/classes ]; then CP="target/classes:$(cat cp.txt)"
else echo "build first: mvn -B -q package -DskipTests (or set CP)" >&2; exit 2; fi
[ -f models/natural-gray/model.onnx ] || { echo "no models/natural-gray" >&2; exit 2; }

mkdir -p "$OUT/crash" "$OUT/models"
cp -r models/natural-gray "$OUT/models/"
rm -f "$OUT/models/natural-gray/model.sig"
head -c $((SIDE * SIDE)) /dev/urandom > "$OUT/large.gray8"
TAG=sigterm-$$
NOISY=noisy.$TAG; DENOISED=denoised.$TAG; LATENT=latent.$TAG; DLQ=dlq.$TAG; GROUP=group.$TAG

java -Xmx512m -cp "$CP" dev.denoiser.cli.Main broker --port 0 --data-dir "$OUT/kafka" > "$OUT/broker.log" 2>&1 &
BROKER=$!
cleanup() { rm -f "$OUT/feeding"; [ -n "${feeder:-}" ] && wait "$feeder" 2>/dev/null; kill "$BROKER" 2>/dev/null; wait "$BROKER" 2>/dev/null; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  BOOTSTRAP=$(sed -n 's/.*broker ready on \([^ ]*\).*/\1/p' "$OUT/broker.log" | head -1)
  [ -n "$BOOTSTRAP" ] && break; sleep 1
done
[ -n "${BOOTSTRAP:-}" ] || { echo "broker did not start; see $OUT/broker.log" >&2; exit 1; }
echo "broker $BOOTSTRAP, output in $OUT"

SET=(--set "kafka.bootstrap.servers=$BOOTSTRAP" --set "kafka.topic.noisy=$NOISY" --set "kafka.topic.denoised=$DENOISED"
  --set "kafka.topic.latent=$LATENT" --set "kafka.topic.dlq=$DLQ" --set "kafka.group.id=$GROUP" --set "kafka.topic.models="
  --set "kafka.processing.guarantee=$GUARANTEE" --set "kafka.topic.partitions=4" --set "http.port=$HTTP_PORT"
  --set "http.host=127.0.0.1" --set "models.watchIntervalMillis=0" --set "models.default=natural-gray"
  --set "models.signature.keyDir=$OUT/keys" --set "kafka.shutdownGraceMillis=60000" --set "http.shutdownGraceMillis=60000"
  --set "batching.deadlineMillis=120000")

crashes=0; nonzero=0; answered=0; refused=0; other=0; feeder=""
for run in $(seq 1 "$RUNS"); do
  log="$OUT/run-$run.log"
  java $JVM -XX:ErrorFile="$OUT/crash/hs_err_pid%p.log" -cp "$CP" dev.denoiser.cli.Main serve \
    --models-dir "$OUT/models" "${SET[@]}" > "$log" 2>&1 &
  pid=$!
  ok=""
  for _ in $(seq 1 "$START_S"); do
    grep -q "ingest 0 consumes" "$log" && { ok=1; break; }
    kill -0 "$pid" 2>/dev/null || break; sleep 1
  done
  [ -n "$ok" ] || { echo "run $run: replica did not start; see $log" >&2; kill -9 "$pid" 2>/dev/null; exit 1; }
  if [ -z "$feeder" ]; then
    touch "$OUT/feeding"
    java -cp "$CP" load-tests/SigtermCheck.java feed "$BOOTSTRAP" "$NOISY" "$RATE" "$OUT/feeding" > "$OUT/feed.log" 2>&1 &
    feeder=$!
  fi
  sleep 3
  curls=()
  for k in 1 2; do
    curl -s -o "$OUT/run-$run-large-$k.json" -w '%{http_code}\n' --max-time "$STOP_S" \
      -H 'Content-Type: application/x-gray8' --data-binary @"$OUT/large.gray8" \
      "http://127.0.0.1:$HTTP_PORT/v1/models/natural-gray/denoise?width=$SIDE&height=$SIDE" > "$OUT/run-$run-large-$k.code" &
    curls+=($!)
  done
  # SIGTERM while the first large frame runs (a 2048x2048 frame takes several seconds here; the
  # Kafka frames keep the queue gauge busy, so it cannot tell when the large one started)
  sleep "${LARGE_WAIT_S:-3}"
  kill -TERM "$pid"
  for _ in $(seq 1 "$STOP_S"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; echo "run $run: did not stop within $STOP_S s" >&2; fi
  wait "$pid"; code=$?
  wait "${curls[@]}"
  [ "$code" -eq 0 ] || nonzero=$((nonzero + 1))
  n=$(ls "$OUT/crash" | wc -l); crashes=$n
  for k in 1 2; do
    c=$(cat "$OUT/run-$run-large-$k.code")
    case "$c" in 200) answered=$((answered + 1));; 503|504) refused=$((refused + 1));; *) other=$((other + 1));; esac
  done
  echo "run $run: exit $code, large frames $(cat "$OUT"/run-$run-large-*.code | tr '\n' ' ')crash reports so far $crashes"
  if [ "$run" -lt "$RUNS" ] && [ -n "$feeder" ] && ! kill -0 "$feeder" 2>/dev/null; then echo "feed stopped" >&2; exit 1; fi
done
rm -f "$OUT/feeding"; wait "$feeder" 2>/dev/null
result=$(java -cp "$CP" load-tests/SigtermCheck.java check "$BOOTSTRAP" "$NOISY" "$DENOISED" "$DLQ" "$GROUP")
echo
echo "| runs | exit 0 | crashes | large answered | large refused 503/504 | large other | $result"
echo "| $RUNS | $((RUNS - nonzero)) | $crashes | $answered | $refused | $other |"
echo "$result" | grep -q 'committed_unanswered=0 answered_uncommitted=0 duplicates=0' && [ "$crashes" -eq 0 ] && [ "$nonzero" -eq 0 ] \
  && [ "$other" -eq 0 ] && { echo PASS; exit 0; }
echo FAIL; exit 1
