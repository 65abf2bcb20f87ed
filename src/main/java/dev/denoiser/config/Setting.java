package dev.denoiser.config;

import java.util.Locale;

/**
 * Every configuration key of the service, with its default and a one-line description. The README
 * table lists them all (a test keeps the two in step).
 *
 * <p>A key such as {@code batching.maxBatchSize} can be set in the config file (flat or nested
 * YAML/JSON), as the environment variable {@code DENOISER_BATCHING_MAXBATCHSIZE}, as the system
 * property {@code -Dbatching.maxBatchSize=..}, or with {@code serve --set batching.maxBatchSize=..};
 * later sources win in that order.
 */
public enum Setting {
  HTTP_HOST("http.host", "0.0.0.0", "Address the HTTP/WebSocket server binds to."),
  HTTP_PORT("http.port", 8080, "HTTP/WebSocket port (0 picks a free one)."),
  HTTP_MAX_BODY_BYTES("http.maxBodyBytes", 20L << 20, "Largest HTTP request body; larger gives 413 PAYLOAD_TOO_LARGE."),
  HTTP_SHUTDOWN_GRACE_MS("http.shutdownGraceMillis", 10_000, "How long a graceful shutdown waits for in-flight HTTP requests."),
  AUTH_TOKEN("auth.token", "", "Bearer token required by /v1, /v2 inference and admin calls and the WebSocket; empty disables it."),
  FRAME_MAX_PIXELS("frame.maxPixels", 4096L * 4096L, "Largest frame, in pixels (height x width); larger gives PAYLOAD_TOO_LARGE."),
  MODELS_DIR("models.dir", "models", "Directory with one sub-directory per model (model.onnx + card.json)."),
  MODELS_DEFAULT("models.default", "natural-gray", "Model used when a request names none (the MNIST demo paths name conv-upsample)."),
  MODELS_WATCH_MS("models.watchIntervalMillis", 2_000, "How often models.dir is checked for new model versions to hot-swap (0: never)."),
  BATCH_MAX_SIZE("batching.maxBatchSize", 64, "Most frames in one ONNX Runtime run."),
  BATCH_MAX_DELAY_US("batching.maxBatchDelayMicros", 0, "How long an idle worker waits for a batch to fill (0: run whatever is queued at once)."),
  BATCH_QUEUE_SIZE("batching.queueSize", 1024, "Frames queued per model; beyond it requests fail at once with OVERLOADED."),
  BATCH_DEADLINE_MS("batching.deadlineMillis", 5_000, "Default per-request deadline; a request still queued after it fails with DEADLINE_EXCEEDED."),
  INFERENCE_INSTANCES("inference.instances", 1, "Number of inference worker verticles (concurrent ONNX Runtime runs)."),
  INFERENCE_INTRA_OP_THREADS("inference.intraOpThreads", 0, "ONNX Runtime intra-op threads per run (0: cores / instances)."),
  INFERENCE_DEVICE("inference.device", "auto", "auto, cpu or cuda:N; auto uses CUDA when the gpu build finds a GPU, else the CPU."),
  STREAM_MAX_MESSAGE_BYTES("stream.maxMessageBytes", 8L << 20, "Largest WebSocket message (one frame, header included); larger closes the socket with 1009."),
  STREAM_MAX_IN_FLIGHT("stream.maxInFlight", 32, "Most frames of one WebSocket between receipt and reply (lossless window); at the limit the server stops reading it."),
  STREAM_MAX_CONNECTIONS("stream.maxConnections", 1024, "Most open WebSocket connections; the upgrade of one more is refused with 503."),
  STREAM_ALLOWED_ORIGINS("stream.allowedOrigins", "", "Comma-separated browser origins allowed on the WebSocket (* for any); empty allows same-origin pages and clients without Origin."),
  KAFKA_ENABLED("kafka.enabled", true, "Run the Kafka role: consume kafka.topic.noisy, publish denoised frames and latent codes."),
  KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap.servers", "", "Kafka cluster (host:port,...); empty starts an embedded single-node KRaft broker."),
  KAFKA_EMBEDDED_PORT("kafka.embedded.port", 9092, "Port of the embedded broker on 127.0.0.1 (0 picks a free one)."),
  KAFKA_EMBEDDED_DIR("kafka.embedded.dataDir", "data/kafka", "Log and metadata directory of the embedded broker; kept across restarts."),
  KAFKA_TOPIC_NOISY("kafka.topic.noisy", "frames.noisy", "Input topic: key = stream id, value = image bytes, headers content-type, width, height, frame-id, model."),
  KAFKA_TOPIC_DENOISED("kafka.topic.denoised", "frames.denoised", "Output topic of denoised frames, in the input's format."),
  KAFKA_TOPIC_LATENT("kafka.topic.latent", "frames.latent", "Output topic of latent codes (little-endian float32)."),
  KAFKA_TOPIC_DLQ("kafka.topic.dlq", "frames.dlq", "Dead-letter topic: refused records with error-code, error-message and their source coordinates."),
  KAFKA_TOPIC_PARTITIONS("kafka.topic.partitions", 8, "Partitions of the input and output topics created when missing (the dead-letter topic gets 1)."),
  KAFKA_GROUP_ID("kafka.group.id", "stream-denoiser", "Consumer group of the ingest; replicas in one group share the input partitions."),
  KAFKA_INSTANCES("kafka.instances", 1, "Kafka ingest verticles (consumers) per replica."),
  KAFKA_GUARANTEE("kafka.processing.guarantee", "at_least_once", "at_least_once, or exactly_once (outputs and offsets in one transaction; read outputs with read_committed)."),
  KAFKA_COMMIT_INTERVAL_MS("kafka.commitIntervalMillis", 100, "How often offsets are committed (at_least_once) or a transaction is committed (exactly_once)."),
  KAFKA_MAX_IN_FLIGHT("kafka.maxInFlight", 2048, "Records per consumer taken but not yet committed; beyond it the consumer pauses its partitions."),
  KAFKA_TRANSACTIONAL_ID("kafka.transactionalIdPrefix", "", "exactly_once: transactional.id prefix, then -<instance>; empty: <group.id>-<host name>. Stable and unique per replica."),
  KAFKA_CLIENT_PROPERTIES("kafka.clientProperties", "", "Extra Kafka client properties for every client, k=v;k=v (e.g. security.protocol=SASL_SSL)."),
  KAFKA_SHUTDOWN_GRACE_MS("kafka.shutdownGraceMillis", 10_000, "How long a graceful shutdown waits for in-flight Kafka frames before the last commit."),
  KAFKA_STATS_INTERVAL_MS("kafka.statsIntervalMillis", 5_000, "How often the Kafka throughput line is logged (0: never)."),
  KAFKA_DEMO_ENABLED("kafka.demo.enabled", "auto", "Demo feed (kafka.demo.source) into kafka.topic.noisy: auto (on with the embedded broker), true or false."),
  KAFKA_DEMO_RATE("kafka.demo.framesPerSecond", 100, "Frames per second the MNIST demo feed publishes."),
  KAFKA_DEMO_NOISE("kafka.demo.noise", 0.3, "Standard deviation of the Gaussian noise the demo feed adds to the digits (pixels in [0,1])."),
  KAFKA_DEMO_SOURCE("kafka.demo.source", "mnist", "What the demo feed plays: mnist (noisy digits) or video (noisy frames of kafka.demo.video.file, decoded by ffmpeg)."),
  KAFKA_DEMO_VIDEO_FILE("kafka.demo.video.file", ".cache/natural/opencv/vtest.avi", "Video of the video demo feed and of the page's demo video source (sh src/scripts/fetch-natural.sh fetches vtest.avi)."),
  KAFKA_DEMO_VIDEO_SIZE("kafka.demo.video.size", "384x288", "Width x height the video frames are scaled to."),
  KAFKA_DEMO_VIDEO_RATE("kafka.demo.video.framesPerSecond", 5, "Frames per second the video demo feed publishes (instead of kafka.demo.framesPerSecond)."),
  KAFKA_DEMO_VIDEO_NOISE("kafka.demo.video.noise", 0.1, "Standard deviation of the Gaussian noise added to the video frames (pixels in [0,1]; 0.1 is about 25 of 255)."),
  KAFKA_DEMO_VIDEO_MODEL("kafka.demo.video.model", "natural-gray", "model header of the video records; if no such model is loaded at start-up, none (models.default serves them)."),
  KAFKA_TOPIC_MODELS("kafka.topic.models", "models", "Compacted topic of promoted models (key = model name, value = model envelope); every replica follows it from the beginning. Empty: models come only from models.dir."),
  KAFKA_TOPIC_CONTROL("kafka.topic.control", "models.control", "Trainer control topic: JSON {\"model\": name, \"params\": {...}} starts a training run."),
  KAFKA_TOPIC_REFERENCE("kafka.topic.reference", "frames.reference", "Clean 28x28 reference frames (as frames.noisy) the trainer collects; empty: none."),
  KAFKA_MODELS_MAX_BYTES("kafka.models.maxBytes", 16L << 20, "Largest model envelope: the models topic's max.message.bytes, the producer's max.request.size and the consumers' fetch sizes."),
  FEED_SAMPLE_MODELS("feed.sample.models", "", "Models whose served frames are sampled for self-supervised refresh: a comma list, * for all, empty for none (off)."),
  FEED_SAMPLE_MAX_FRAMES("feed.sample.maxFrames", 300, "Most frames the feed sample keeps per model (reservoir sampling: every served frame has the same chance)."),
  FEED_SAMPLE_MAX_BYTES("feed.sample.maxBytes", 64L << 20, "Most bytes the feed sample keeps per model (frames are held as 8-bit, one byte per value)."),
  FEED_SAMPLE_DIR("feed.sample.dir", "", "Directory the feed sample is written to on shutdown and read from on start-up; empty: memory only, dropped on shutdown."),
  FEED_SAMPLE_TOPIC("feed.sample.topic", "frames.sample", "Topic a serving replica copies its sampled frames to for a trainer in another process (bounded by retention); empty: none."),
  FEED_SAMPLE_HOLDOUT_EVERY("feed.sample.holdoutEvery", 5, "A self-supervised run holds back every Nth sampled frame for its gate and never trains on it."),
  TRAINER_ENABLED("trainer.enabled", false, "Run the trainer role inside serve (what serve --with-trainer sets)."),
  TRAINER_THREADS("trainer.threads", 0, "PyTorch threads of a training run (0: cores - 1, at least 1, so serving keeps a core)."),
  TRAINER_SCHEDULE("trainer.schedule", "", "Interval between scheduled training runs (e.g. 6h, 30m, 90s, PT1H); empty: no schedule."),
  TRAINER_MODELS("trainer.models", "conv-upsample", "Comma-separated models the schedule retrains from MNIST and the reference frames; empty: models.default."),
  TRAINER_MODE("trainer.mode", "supervised", "Default mode of a run (and of scheduled runs): supervised (MNIST and reference frames) or self-supervised (the feed sample only)."),
  TRAINER_SELFSUP_STEPS("trainer.selfsup.steps", 500, "Default Adam steps of a self-supervised run (a run's params.steps overrides it)."),
  TRAINER_SELFSUP_LEARNING_RATE("trainer.selfsup.learningRate", 3e-4, "Default learning rate of a self-supervised run, cosine-annealed to a thirtieth of it."),
  TRAINER_SELFSUP_BATCH_SIZE("trainer.selfsup.batchSize", 16, "Default patches per step of a self-supervised run."),
  TRAINER_SELFSUP_OBJECTIVE("trainer.selfsup.objective", "r2r", "Objective of self-supervised runs: r2r (Recorrupted-to-Recorrupted) or n2n (Neighbor2Neighbor), both clipping-aware."),
  TRAINER_SELFSUP_MIN_GAIN_DB("trainer.selfsup.minGainDb", 0.1, "A self-supervised candidate is distributed only if the gate estimates it this many dB better than the serving version."),
  TRAINER_QUEUE_SIZE("trainer.queueSize", 4, "Runs that may wait behind the running one; more are refused with 409 TRAINER_BUSY."),
  TRAINER_EPOCHS("trainer.epochs", 1, "Default epochs of a run."),
  TRAINER_LIMIT("trainer.limit", 10_000, "Default number of MNIST training images of a run (0: all 60,000)."),
  TRAINER_LEARNING_RATE("trainer.learningRate", 1e-4, "Default Adam learning rate of a run (fine-tuning)."),
  TRAINER_BATCH_SIZE("trainer.batchSize", 128, "Default batch size of a run."),
  TRAINER_MNIST_DIR("trainer.mnistDir", "", "MNIST directory; empty: -Dmnist.dir, $MNIST_DIR, else .cache/mnist."),
  TRAINER_DATA_DIR("trainer.dataDir", "data/trainer", "Directory of the trainer's persisted reference-frame buffer."),
  TRAINER_REFERENCE_CAPACITY("trainer.reference.capacity", 10_000, "Reference frames kept (a ring: the oldest is overwritten)."),
  TRAINER_REFERENCE_HOLDOUT_EVERY("trainer.reference.holdoutEvery", 5, "Every Nth reference frame is held out for the gate and never trained on."),
  TRAINER_GATE_TOLERANCE("trainer.gate.tolerance", 0.05, "Promote a candidate only if its holdout PSNR is at least the serving model's minus this many dB."),
  TRAINER_GATE_HOLDOUT_IMAGES("trainer.gate.holdoutImages", 1000, "MNIST test images in the gate's holdout (the first N, fixed noise seed).");

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

  /** The environment variable that sets this key: {@code DENOISER_} + key upper-cased, dots as underscores. */
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
