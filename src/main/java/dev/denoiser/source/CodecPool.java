package dev.denoiser.source;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The bounded pool on which sources decode and encode frames (PNG, JPEG, raw conversions) and parse
 * large JSON bodies, so that no event loop does: one named Vert.x worker pool of {@code
 * codec.threads} threads ({@value #NAME}), shared by every source that asks for it. Jobs run
 * unordered (a slow decode does not hold back the next), and wait in the pool's queue when all
 * threads are busy; the byte budget ({@link MemoryBudget}) bounds how many can wait.
 *
 * <p>Meter: {@code denoiser_codec_jobs_total} (by job: {@code frame} for HTTP and WebSocket frames,
 * {@code kserve} for KServe JSON parsing and answers, {@code kafka} for Kafka record decoding).
 */
public final class CodecPool {
  public static final String NAME = "denoiser-codec";
  private final WorkerExecutor executor;
  private final MeterRegistry registry;
  private final Map<String, Counter> jobs = new ConcurrentHashMap<>();

  private CodecPool(WorkerExecutor executor, MeterRegistry registry) {
    this.executor = executor;
    this.registry = registry;
  }

  /**
   * This Vert.x's pool, sized by {@code codec.threads} (0: the cores). Close it when the caller
   * stops.
   */
  public static CodecPool of(Vertx vertx, Settings settings) {
    return of(vertx, settings, null);
  }

  /** As {@link #of(Vertx, Settings)}, counting the jobs in {@code registry} (null: not counted). */
  public static CodecPool of(Vertx vertx, Settings settings, MeterRegistry registry) {
    // a large frame on a busy machine may decode for minutes: no blocked-thread warnings before 10
    return new CodecPool(
        vertx.createSharedWorkerExecutor(NAME, threads(settings), 10, TimeUnit.MINUTES), registry);
  }

  static int threads(Settings settings) {
    int n = settings.getInt(Setting.CODEC_THREADS);
    return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Runs {@code job} on the pool; the future completes on the caller's context. */
  public <T> Future<T> run(Callable<T> job) {
    return run("frame", job);
  }

  /** Runs {@code job}, counted as {@code kind}; the future completes on the caller's context. */
  public <T> Future<T> run(String kind, Callable<T> job) {
    if (registry != null) {
      jobs.computeIfAbsent(
              kind,
              k ->
                  Counter.builder("denoiser_codec_jobs")
                      .tag("job", k)
                      .description("Jobs run on the codec pool (decode, encode, JSON), by job")
                      .register(registry))
          .increment();
    }
    return executor.executeBlocking(job, false);
  }

  /** Gives this user's hold on the pool back (the pool closes with its last user). */
  public Future<Void> close() {
    return executor.close();
  }
}
