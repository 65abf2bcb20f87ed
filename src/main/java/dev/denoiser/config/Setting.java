package dev.denoiser.config;

import java.util.Locale;

/**
 * Every configuration key of the service, with its default and a one-line description. The README
 * table lists them all (a test keeps the two in step).
 *
 * <p>A key such as {@code batching.maxBatchSize} can be set in the config file (flat or nested
 * YAML/JSON), as the environment variable {@code DENOISER_BATCHING_MAXBATCHSIZE}, as the system
 * property {@code -Dbatching.maxBatchSize=..}, or with {@code serve --set
 * batching.maxBatchSize=..}; later sources win in that order.
 *
 * <p>Besides these keys, every key under {@link #KAFKA_CLIENT_PREFIX} is a Kafka client property
 * passed as it is to every Kafka client ({@code kafka.client.sasl.jaas.config=...}; as an
 * environment variable {@code DENOISER_KAFKA_CLIENT_SASL_JAAS_CONFIG}).
 */
public enum Setting {
  HTTP_HOST("http.host", "0.0.0.0", "Address the HTTP/WebSocket server binds to."),
  HTTP_PORT("http.port", 8080, "HTTP/WebSocket port (0 picks a free one)."),
  HTTP_INSTANCES(
      "http.instances",
      0,
      "HTTP server verticles, each on its own event loop, sharing the port (0: the number of cores)."),
  HTTP_MAX_BODY_BYTES(
      "http.maxBodyBytes",
      20L << 20,
      "Largest HTTP request body; larger gives 413 PAYLOAD_TOO_LARGE."),
  HTTP_SHUTDOWN_GRACE_MS(
      "http.shutdownGraceMillis",
      10_000,
      "How long a graceful shutdown waits for in-flight HTTP requests."),
  HTTP_IDLE_TIMEOUT_MS(
      "http.idleTimeoutMillis",
      60_000,
      "A connection (HTTP keep-alive or WebSocket) with no byte moving either way for this long is closed (0: never)."),
  HTTP_HEADER_TIMEOUT_MS(
      "http.headerTimeoutMillis",
      10_000,
      "A request's line and headers must arrive within this long of the connection opening (on keep-alive: of the previous answer plus http.idleTimeoutMillis); else the connection is closed (0: no limit)."),
  HTTP_BODY_TIMEOUT_MS(
      "http.bodyTimeoutMillis",
      60_000,
      "A request body must arrive within this long of its headers; else 408 REQUEST_TIMEOUT and the connection is closed (0: no limit)."),
  HTTP_MAX_CONNECTIONS_PER_CLIENT(
      "http.maxConnectionsPerClient",
      128,
      "Most open connections from one remote address; one more is closed at once (0: no limit). Raise it behind a proxy that funnels clients through one address."),
  HTTP_PUBLIC_URL(
      "http.publicUrl",
      "",
      "The URL browsers use to reach the service (e.g. https://denoiser.example.com); its origin may open the WebSocket. Empty: only loopback page origins and stream.allowedOrigins."),
  AUTH_TOKEN(
      "auth.token",
      "",
      "Bearer token required by every route but health, server metadata and the page's files (/v1, /v2 models and inference, admin, /metrics, /v1/samples, the WebSocket); empty disables it."),
  FRAME_MAX_PIXELS(
      "frame.maxPixels",
      3840L * 2160L,
      "Largest frame, in pixels (height x width; 3840x2160 = 8294400, what the image's 1228 MB heap runs with room to spare); larger gives PAYLOAD_TOO_LARGE."),
  MEMORY_INFLIGHT_BYTES(
      "memory.inflightBytes",
      0L,
      "Bytes of frames in flight across HTTP, WebSocket and Kafka (encoded + decoded + output); over it HTTP answers 503, WebSocket OVERLOADED, Kafka pauses. 0: a quarter of the heap."),
  MEMORY_MAX_SHARE(
      "memory.maxShare",
      "kafka=0.5",
      "Largest fraction of memory.inflightBytes one source may hold, source=fraction pairs (http, websocket, kafka; absent: 1)."),
  CODEC_THREADS(
      "codec.threads",
      0,
      "Threads that decode and encode frames (HTTP, WebSocket, Kafka) and parse KServe JSON, off the event loops (0: the number of cores)."),
  MODELS_DIR(
      "models.dir",
      "models",
      "Directory with one sub-directory per model (model.onnx + card.json)."),
  MODELS_DEFAULT(
      "models.default",
      "natural-gray",
      "Model used when a request names none (the MNIST demo paths name conv-upsample)."),
  MODELS_WATCH_MS(
      "models.watchIntervalMillis",
      2_000,
      "How often models.dir is checked for new model versions to hot-swap (0: never)."),
  MODELS_SIGNATURE_REQUIRED(
      "models.signature.required",
      true,
      "Refuse models without a valid Ed25519 signature (model.sig, or in the models-topic envelope) by a trusted key."),
  MODELS_TRUSTED_KEYS(
      "models.signature.trustedKeys",
      "",
      "Comma-separated Ed25519 public keys trusted to sign models: files written by keygen (.pub) or base64 X.509 keys."),
  MODELS_KEY_DIR(
      "models.signature.keyDir",
      "",
      "Directory of this process's signing key pair (signing.key mode 600, signing.pub), made at first start. Empty: keys/ beside kafka.embedded.dataDir when the embedded broker runs, else a key kept in memory (every start is a first start)."),
  MODELS_TRUST_FIRST_START(
      "models.signature.trustLocalOnFirstStart",
      true,
      "At the first start (no key pair in models.signature.keyDir yet) sign the models already in models.dir with the new key. false: they need signatures of a trusted key."),
  MODELS_MAX_VERSION_STEP(
      "models.maxVersionStep",
      1_000_000L,
      "Largest step a model's version may jump (and largest first version); a bigger or overflowing version is refused."),
  MODELS_INSTALL_TIMEOUT_MS(
      "models.installTimeoutMillis",
      120_000,
      "How long one model install (parse, checks, test run) may take before it is refused; other installs do not wait behind it."),
  BATCH_MAX_SIZE("batching.maxBatchSize", 64, "Most frames in one ONNX Runtime run."),
  BATCH_MAX_DELAY_US(
      "batching.maxBatchDelayMicros",
      0,
      "How long an idle worker waits for a batch to fill (0: run whatever is queued at once)."),
  BATCH_QUEUE_SIZE(
      "batching.queueSize",
      1024,
      "Frames queued per model; beyond it requests fail at once with OVERLOADED."),
  BATCH_MAX_PIXELS(
      "batching.maxBatchPixels",
      8L << 20,
      "Most pixels (frames x height x width) in one batch; a frame larger than this runs alone."),
  BATCH_SOURCE_WEIGHTS(
      "batching.sourceWeights",
      "http=2,websocket=2,kafka=1",
      "Each source's share of a model's queue (reserved slots) and of the batches, source=weight pairs; a Kafka backlog cannot take the slots of HTTP and WebSocket."),
  BATCH_DEADLINE_MS(
      "batching.deadlineMillis",
      5_000,
      "Default per-request deadline; a request still queued after it fails with DEADLINE_EXCEEDED."),
  INFERENCE_INSTANCES(
      "inference.instances",
      1,
      "Number of inference worker verticles (concurrent ONNX Runtime runs)."),
  INFERENCE_INTRA_OP_THREADS(
      "inference.intraOpThreads",
      0,
      "ONNX Runtime intra-op threads per run (0: cores / instances)."),
  INFERENCE_DEVICE(
      "inference.device",
      "auto",
      "auto, cpu or cuda:N; auto uses CUDA when the gpu build finds a GPU, else the CPU."),
  STREAM_MAX_MESSAGE_BYTES(
      "stream.maxMessageBytes",
      8L << 20,
      "Largest WebSocket message (one frame, header included); larger closes the socket with 1009."),
  STREAM_MAX_IN_FLIGHT(
      "stream.maxInFlight",
      32,
      "Most frames of one WebSocket between receipt and reply (lossless window); at the limit the server stops reading it."),
  STREAM_MAX_IN_FLIGHT_BYTES(
      "stream.maxInFlightBytes",
      64L << 20,
      "Most bytes (memory.inflightBytes' count) of one WebSocket between receipt and reply; at the limit the server stops reading it."),
  STREAM_MAX_CONNECTIONS(
      "stream.maxConnections",
      1024,
      "Most open WebSocket connections; the upgrade of one more is refused with 503."),
  STREAM_ALLOWED_ORIGINS(
      "stream.allowedOrigins",
      "",
      "Comma-separated browser origins allowed on the WebSocket besides http.publicUrl's and loopback pages (* for any); clients without Origin always pass."),
  STREAM_IDLE_TIMEOUT_MS(
      "stream.idleTimeoutMillis",
      60_000,
      "A WebSocket that sends no message for this long while no reply is pending is closed with 1001 (pings do not count; 0: never)."),
  KSERVE_MAX_BATCH(
      "kserve.maxBatch",
      256,
      "Most frames (N of [N,C,H,W]) in one KServe infer request; at most batching.queueSize either way."),
  KAFKA_ENABLED(
      "kafka.enabled",
      true,
      "Run the Kafka role: consume kafka.topic.noisy, publish denoised frames and latent codes."),
  KAFKA_BOOTSTRAP_SERVERS(
      "kafka.bootstrap.servers",
      "",
      "Kafka cluster (host:port,...); empty starts an embedded single-node KRaft broker."),
  KAFKA_EMBEDDED_PORT(
      "kafka.embedded.port",
      9092,
      "Port of the embedded broker on 127.0.0.1 (0 picks a free one)."),
  KAFKA_EMBEDDED_DIR(
      "kafka.embedded.dataDir",
      "data/kafka",
      "Log and metadata directory of the embedded broker; kept across restarts."),
  KAFKA_TOPIC_NOISY(
      "kafka.topic.noisy",
      "frames.noisy",
      "Input topic: key = stream id, value = image bytes, headers content-type, width, height, frame-id, model."),
  KAFKA_TOPIC_DENOISED(
      "kafka.topic.denoised",
      "frames.denoised",
      "Output topic of denoised frames, in the input's format."),
  KAFKA_TOPIC_LATENT(
      "kafka.topic.latent",
      "frames.latent",
      "Output topic of latent codes (little-endian float32)."),
  KAFKA_TOPIC_DLQ(
      "kafka.topic.dlq",
      "frames.dlq",
      "Dead-letter topic: refused records with error-code, error-message and their source coordinates."),
  KAFKA_TOPIC_PARTITIONS(
      "kafka.topic.partitions",
      8,
      "Partitions of the input and output topics created when missing (the dead-letter topic gets 1)."),
  KAFKA_GROUP_ID(
      "kafka.group.id",
      "stream-denoiser",
      "Consumer group of the ingest; replicas in one group share the input partitions."),
  KAFKA_INSTANCES("kafka.instances", 1, "Kafka ingest verticles (consumers) per replica."),
  KAFKA_GUARANTEE(
      "kafka.processing.guarantee",
      "at_least_once",
      "at_least_once, or exactly_once (outputs and offsets in one transaction; read outputs with read_committed)."),
  KAFKA_COMMIT_INTERVAL_MS(
      "kafka.commitIntervalMillis",
      100,
      "How often offsets are committed (at_least_once) or a transaction is committed (exactly_once)."),
  KAFKA_MAX_IN_FLIGHT(
      "kafka.maxInFlight",
      2048,
      "Records per consumer taken but not yet committed; beyond it the consumer pauses its partitions."),
  KAFKA_MAX_IN_FLIGHT_BYTES(
      "kafka.maxInFlightBytes",
      0L,
      "Bytes of records (keys, values, headers) per consumer taken but not yet committed; beyond it the consumer pauses its partitions until half is committed. 0: Kafka's share of memory.inflightBytes (memory.maxShare)."),
  KAFKA_TRANSACTIONAL_ID(
      "kafka.transactionalIdPrefix",
      "",
      "exactly_once: transactional.id prefix, then -<instance>; empty: <group.id>-<host name>. Stable and unique per replica."),
  KAFKA_CLIENT_PROPERTIES(
      "kafka.clientProperties",
      "",
      "Deprecated (splits on ';', so no sasl.jaas.config): use kafka.client.<property> or kafka.clientPropertiesFile. Extra client properties k=v;k=v."),
  KAFKA_CLIENT_PROPERTIES_FILE(
      "kafka.clientPropertiesFile",
      "",
      "Java properties file of Kafka client properties for every client (security.protocol, sasl.*, ssl.*); kafka.client.<property> settings override it."),
  KAFKA_TOPIC_AUTO_CREATE(
      "kafka.topic.autoCreate",
      true,
      "Create the input, output and dead-letter topics when missing; false: they must exist (start-up fails with the missing ones)."),
  KAFKA_TOPIC_REPLICATION(
      "kafka.topic.replicationFactor",
      -1,
      "Replication factor of the topics created (-1: the cluster's default.replication.factor)."),
  KAFKA_SHUTDOWN_GRACE_MS(
      "kafka.shutdownGraceMillis",
      10_000,
      "How long a graceful shutdown waits for in-flight Kafka frames before the last commit."),
  KAFKA_MAX_RECORD_BYTES(
      "kafka.maxRecordBytes",
      1_000_000,
      "Largest output record written (key, value and headers); a larger dead letter is cut to fit (truncated=true), a larger output becomes a dead letter. Keep it under the topics' max.message.bytes."),
  KAFKA_STALL_MS(
      "kafka.stallMillis",
      60_000,
      "Readiness is 503 while an ingest holds records and has committed none of them for this long (0: never)."),
  KAFKA_STATS_INTERVAL_MS(
      "kafka.statsIntervalMillis",
      5_000,
      "How often the Kafka throughput line is logged (0: never)."),
  KAFKA_DEMO_ENABLED(
      "kafka.demo.enabled",
      "auto",
      "Demo feed (kafka.demo.source) into kafka.topic.noisy: auto (on with the embedded broker), true or false."),
  KAFKA_DEMO_RATE(
      "kafka.demo.framesPerSecond", 100, "Frames per second the MNIST demo feed publishes."),
  KAFKA_DEMO_NOISE(
      "kafka.demo.noise",
      0.3,
      "Standard deviation of the Gaussian noise the demo feed adds to the digits (pixels in [0,1])."),
  KAFKA_DEMO_SOURCE(
      "kafka.demo.source",
      "mnist",
      "What the demo feed plays: mnist (noisy digits) or video (noisy frames of kafka.demo.video.file, decoded by ffmpeg)."),
  KAFKA_DEMO_VIDEO_FILE(
      "kafka.demo.video.file",
      ".cache/natural/opencv/vtest.avi",
      "Video of the video demo feed and of the page's demo video source (sh src/scripts/fetch-natural.sh fetches vtest.avi)."),
  KAFKA_DEMO_VIDEO_SIZE(
      "kafka.demo.video.size", "384x288", "Width x height the video frames are scaled to."),
  KAFKA_DEMO_VIDEO_RATE(
      "kafka.demo.video.framesPerSecond",
      5,
      "Frames per second the video demo feed publishes (instead of kafka.demo.framesPerSecond)."),
  KAFKA_DEMO_VIDEO_NOISE(
      "kafka.demo.video.noise",
      0.1,
      "Standard deviation of the Gaussian noise added to the video frames (pixels in [0,1]; 0.1 is about 25 of 255)."),
  KAFKA_DEMO_VIDEO_MODEL(
      "kafka.demo.video.model",
      "natural-gray",
      "model header of the video records; if no such model is loaded at start-up, none (models.default serves them)."),
  KAFKA_TOPIC_MODELS(
      "kafka.topic.models",
      "models",
      "Compacted topic of promoted models (key = model name, value = model envelope); every replica follows it from the beginning. Empty: models come only from models.dir."),
  KAFKA_TOPIC_CONTROL(
      "kafka.topic.control",
      "models.control",
      "Trainer control topic: JSON {\"model\": name, \"params\": {...}} starts a training run."),
  KAFKA_TOPIC_REFERENCE(
      "kafka.topic.reference",
      "frames.reference",
      "Clean 28x28 reference frames (as frames.noisy) the trainer collects; empty: none."),
  KAFKA_MODELS_MAX_BYTES(
      "kafka.models.maxBytes",
      16L << 20,
      "Largest model envelope: the models topic's max.message.bytes, the producer's max.request.size and the consumers' fetch sizes."),
  FEED_SAMPLE_MODELS(
      "feed.sample.models",
      "",
      "Models whose served frames are sampled for self-supervised refresh: a comma list, * for all, empty for none (off)."),
  FEED_SAMPLE_MAX_FRAMES(
      "feed.sample.maxFrames",
      300,
      "Most frames the feed sample keeps per model (reservoir sampling: every served frame has the same chance)."),
  FEED_SAMPLE_MAX_BYTES(
      "feed.sample.maxBytes",
      64L << 20,
      "Most bytes the feed sample keeps per model (frames are held as 8-bit, one byte per value)."),
  FEED_SAMPLE_DIR(
      "feed.sample.dir",
      "",
      "Directory the feed sample is written to on shutdown and read from on start-up; empty: memory only, dropped on shutdown."),
  FEED_SAMPLE_TOPIC(
      "feed.sample.topic",
      "frames.sample",
      "Topic a serving replica copies its sampled frames to for a trainer in another process (bounded by retention); empty: none."),
  FEED_SAMPLE_HOLDOUT_EVERY(
      "feed.sample.holdoutEvery",
      5,
      "A self-supervised run holds back every Nth sampled frame for its gate and never trains on it."),
  TRAINER_ENABLED(
      "trainer.enabled",
      false,
      "Run the trainer role inside serve (what serve --with-trainer sets)."),
  TRAINER_THREADS(
      "trainer.threads",
      0,
      "PyTorch threads of a training run (0: cores - 1, at least 1, so serving keeps a core)."),
  TRAINER_DEVICE(
      "trainer.device",
      "auto",
      "Device of training runs: auto (CUDA GPU 0 when PyTorch sees one, else the CPU), cpu, or cuda:N (an error when PyTorch cannot see it). The default jar bundles PyTorch's CPU build; -Pgpu builds one that loads the CUDA build."),
  TRAINER_SCHEDULE(
      "trainer.schedule",
      "",
      "Interval between scheduled training runs (e.g. 6h, 30m, 90s, PT1H); empty: no schedule."),
  TRAINER_MODELS(
      "trainer.models",
      "conv-upsample",
      "Comma-separated models the schedule retrains from MNIST and the reference frames; empty: models.default."),
  TRAINER_MODE(
      "trainer.mode",
      "supervised",
      "Default mode of a run (and of scheduled runs): supervised (MNIST and reference frames) or self-supervised (the feed sample only)."),
  TRAINER_SELFSUP_STEPS(
      "trainer.selfsup.steps",
      500,
      "Default Adam steps of a self-supervised run (a run's params.steps overrides it)."),
  TRAINER_SELFSUP_LEARNING_RATE(
      "trainer.selfsup.learningRate",
      3e-4,
      "Default learning rate of a self-supervised run, cosine-annealed to a thirtieth of it."),
  TRAINER_SELFSUP_BATCH_SIZE(
      "trainer.selfsup.batchSize", 16, "Default patches per step of a self-supervised run."),
  TRAINER_SELFSUP_OBJECTIVE(
      "trainer.selfsup.objective",
      "bootstrap",
      "Objective of self-supervised runs: bootstrap (the serving model's outputs re-noised with the feed's estimated, clipped noise), temporal (for a still camera: each pixel's mean over the other sampled frames where the scene stood still is its target; falls back to bootstrap on other feeds), r2r (Recorrupted-to-Recorrupted) or n2n (Neighbor2Neighbor), the last three clipping-aware; docs/refresh.md compares them."),
  TRAINER_SELFSUP_MIN_GAIN_DB(
      "trainer.selfsup.minGainDb",
      0.1,
      "A self-supervised candidate is distributed only if the gate estimates it this many dB better than the serving version."),
  TRAINER_QUEUE_SIZE(
      "trainer.queueSize",
      4,
      "Runs that may wait behind the running one; more are refused with 409 TRAINER_BUSY."),
  TRAINER_EPOCHS("trainer.epochs", 1, "Default epochs of a run."),
  TRAINER_LIMIT(
      "trainer.limit", 10_000, "Default number of MNIST training images of a run (0: all 60,000)."),
  TRAINER_LEARNING_RATE(
      "trainer.learningRate", 1e-4, "Default Adam learning rate of a run (fine-tuning)."),
  TRAINER_BATCH_SIZE("trainer.batchSize", 128, "Default batch size of a run."),
  TRAINER_MNIST_DIR(
      "trainer.mnistDir",
      "",
      "MNIST directory; empty: -Dmnist.dir, $MNIST_DIR, else .cache/mnist."),
  TRAINER_DATA_DIR(
      "trainer.dataDir",
      "data/trainer",
      "Directory of the trainer's persisted reference-frame buffer."),
  TRAINER_REFERENCE_CAPACITY(
      "trainer.reference.capacity",
      10_000,
      "Reference frames kept (a ring: the oldest is overwritten)."),
  TRAINER_REFERENCE_HOLDOUT_EVERY(
      "trainer.reference.holdoutEvery",
      5,
      "Every Nth reference frame is held out for the gate and never trained on."),
  TRAINER_GATE_TOLERANCE(
      "trainer.gate.tolerance",
      0.05,
      "Promote a candidate only if its holdout PSNR is at least the serving model's minus this many dB."),
  TRAINER_GATE_HOLDOUT_IMAGES(
      "trainer.gate.holdoutImages",
      1000,
      "MNIST test images in the gate's holdout (the first N, fixed noise seed)."),
  TRAINER_ALLOW_OPEN_ADMIN(
      "trainer.allowOpenAdmin",
      false,
      "Let the trainer start without auth.token, its admin API open to anyone who can connect; allowed only with http.host on loopback."),
  TRAINER_MAX_EPOCH_IMAGES(
      "trainer.maxEpochImages",
      600_000,
      "Most epochs x training images of one run (limit 0 counts as 60,000); a larger run is refused with 400 BAD_REQUEST."),
  TRAINER_MIN_BATCH_SIZE(
      "trainer.minBatchSize",
      8,
      "Smallest batch size a run may ask for; smaller is refused with 400 BAD_REQUEST.");

  /** Prefix of the pass-through Kafka client properties: {@code kafka.client.<property>}. */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  /**
   * The environment variables of {@link #KAFKA_CLIENT_PREFIX}: {@code DENOISER_KAFKA_CLIENT_} + the
   * property, dots as underscores.
   */
  public static final String KAFKA_CLIENT_ENV_PREFIX = "DENOISER_KAFKA_CLIENT_";

  private final String key;
  private final Object defaultValue;
  private final String description;

  Setting(String key, Object defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /**
   * The environment variable that sets this key: {@code DENOISER_} + key upper-cased, dots as
   * underscores.
   */
  public String envName() {
    return envName(key);
  }

  public static String envName(String key) {
    return "DENOISER_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  public static Setting byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
