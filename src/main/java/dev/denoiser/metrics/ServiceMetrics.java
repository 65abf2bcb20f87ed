package dev.denoiser.metrics;

import dev.denoiser.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The service's own meters, on the registry that {@code GET /metrics} scrapes.
 *
 * <p>Inference meters follow Triton's names ({@code nv_inference_request_success}, {@code
 * nv_inference_queue_duration_us}, ...; Prometheus adds {@code _total} to counters), so existing
 * dashboards carry over. Meters Triton has no name for start with {@code denoiser_}.
 */
public final class ServiceMetrics {
  private final MeterRegistry registry;
  private final Map<String, PerModel> perModel = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
  private final Health health;

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.health = new Health(registry);
  }

  /** Draining flag and open problems behind readiness. */
  public Health health() {
    return health;
  }

  /** Meters on a private in-memory registry, for tests and tools that scrape nothing. */
  public static ServiceMetrics inMemory() {
    return new ServiceMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public PerModel model(String model) {
    return perModel.computeIfAbsent(model, m -> new PerModel(registry, m));
  }

  /** Registers the queue-depth gauge of a model's batcher. */
  public void pendingGauge(String model, Supplier<Number> depth) {
    Gauge.builder("nv_inference_pending_request_count", depth)
        .description("Requests queued in the batcher, waiting for a worker")
        .tag("model", model)
        .register(registry);
  }

  /** Sets the gauge {@code denoiser_model_version{model}} to the version now serving. */
  public void modelVersion(String model, long version) {
    versions
        .computeIfAbsent(
            model,
            m -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder("denoiser_model_version", v, AtomicLong::doubleValue)
                  .description("Version of the model now serving")
                  .tag("model", m)
                  .register(registry);
              return v;
            })
        .set(version);
  }

  public void modelLoadFailure(String model, String reason) {
    registry.counter("denoiser_model_load_failures", "model", model, "reason", reason).increment();
  }

  public void modelSwap(String model) {
    registry.counter("denoiser_model_swaps", "model", model).increment();
  }

  /** A frame refused before inference (bad bytes, wrong size, ...), by source and error code. */
  public void rejected(String source, ErrorCode code) {
    registry.counter("denoiser_frames_rejected", "source", source, "code", code.name()).increment();
  }

  /** Meters of one model. */
  public static final class PerModel {
    public final Counter execCount;
    public final Counter inferenceCount;
    public final Counter success;
    public final Counter requestDurationUs;
    public final Counter queueDurationUs;
    public final Counter computeDurationUs;
    public final DistributionSummary batchSize;
    public final Timer queueTime;
    public final Timer computeTime;
    public final DistributionSummary noiseSigma;
    private final MeterRegistry registry;
    private final String model;
    private final Map<ErrorCode, Counter> failures = new ConcurrentHashMap<>();

    /** A counter of this model's, tagged with its name. */
    private Counter counter(MeterRegistry r, String name, String description) {
      return Counter.builder(name).tag("model", model).description(description).register(r);
    }

    PerModel(MeterRegistry r, String model) {
      this.registry = r;
      this.model = model;
      execCount = counter(r, "nv_inference_exec_count", "ONNX Runtime runs (one per batch)");
      inferenceCount = counter(r, "nv_inference_count", "Frames run through the model");
      success = counter(r, "nv_inference_request_success", "Requests answered with a result");
      requestDurationUs =
          counter(
              r,
              "nv_inference_request_duration_us",
              "Cumulative time from batcher arrival to reply, microseconds");
      queueDurationUs =
          counter(
              r,
              "nv_inference_queue_duration_us",
              "Cumulative time requests waited in the queue, microseconds");
      computeDurationUs =
          counter(
              r,
              "nv_inference_compute_infer_duration_us",
              "Cumulative ONNX Runtime time, microseconds (per batch)");
      batchSize =
          DistributionSummary.builder("denoiser_batch_size")
              .tag("model", model)
              .description("Frames per ONNX Runtime run")
              .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
              .register(r);
      queueTime =
          Timer.builder("denoiser_queue_time")
              .tag("model", model)
              .description("Time a request waited in the batcher's queue")
              .serviceLevelObjectives(
                  Duration.ofNanos(100_000),
                  Duration.ofMillis(1),
                  Duration.ofMillis(5),
                  Duration.ofMillis(10),
                  Duration.ofMillis(25),
                  Duration.ofMillis(50),
                  Duration.ofMillis(100),
                  Duration.ofMillis(500))
              .register(r);
      computeTime =
          Timer.builder("denoiser_compute_time")
              .tag("model", model)
              .description("Duration of one ONNX Runtime run (a whole batch)")
              .serviceLevelObjectives(
                  Duration.ofNanos(100_000),
                  Duration.ofMillis(1),
                  Duration.ofMillis(5),
                  Duration.ofMillis(10),
                  Duration.ofMillis(25),
                  Duration.ofMillis(50),
                  Duration.ofMillis(100),
                  Duration.ofMillis(500))
              .register(r);
      noiseSigma =
          DistributionSummary.builder("denoiser_noise_sigma")
              .tag("model", model)
              .description("Estimated Gaussian noise sigma of the input frames, 0-255 scale")
              .serviceLevelObjectives(1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100)
              .register(r);
    }

    /** One frame's noise estimate (NaN: not measured, not recorded). */
    public void noise(double sigma) {
      if (Double.isFinite(sigma)) {
        noiseSigma.record(sigma);
      }
    }

    public void failure(ErrorCode code) {
      failures
          .computeIfAbsent(
              code,
              c ->
                  Counter.builder("nv_inference_request_failure")
                      .tag("model", model)
                      .tag("reason", c.name())
                      .description("Requests that failed, by error code")
                      .register(registry))
          .increment();
    }

    public void batch(int size, long computeNanos) {
      execCount.increment();
      inferenceCount.increment(size);
      batchSize.record(size);
      computeTime.record(computeNanos, TimeUnit.NANOSECONDS);
      computeDurationUs.increment(computeNanos / 1000.0);
    }

    public void succeeded(long queueNanos, long totalNanos) {
      success.increment();
      queueTime.record(queueNanos, TimeUnit.NANOSECONDS);
      queueDurationUs.increment(queueNanos / 1000.0);
      requestDurationUs.increment(totalNanos / 1000.0);
    }
  }
}
