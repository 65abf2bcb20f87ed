package dev.denoiser.source;

import dev.denoiser.batching.BatchPolicy;
import dev.denoiser.batching.InferenceClient;
import dev.denoiser.config.Settings;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.metrics.ServiceMetrics;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the verticles of one service share: its settings, metrics, model registry, the client
 * sources use to run frames, the frame codec with its limits, the in-flight byte budget every
 * source takes from, and the readiness flag behind {@code /v2/health/ready}.
 */
public record ServiceContext(
    Settings settings,
    ServiceMetrics metrics,
    ModelRegistry registry,
    InferenceClient client,
    FrameCodec codec,
    BatchPolicy policy,
    AtomicBoolean started,
    MemoryBudget budget) {

  /**
   * The shared parts with the byte budget of the settings ({@code memory.inflightBytes}, {@code
   * memory.maxShare}).
   */
  public ServiceContext(
      Settings settings,
      ServiceMetrics metrics,
      ModelRegistry registry,
      InferenceClient client,
      FrameCodec codec,
      BatchPolicy policy,
      AtomicBoolean started) {
    this(
        settings,
        metrics,
        registry,
        client,
        codec,
        policy,
        started,
        MemoryBudget.from(settings, metrics.registry()));
  }

  /** The checks every source runs on its frames, once per frame. */
  public FrameGate gate() {
    return new FrameGate(codec, client, budget);
  }

  /**
   * Ready: start-up finished, at least one model is loaded, not draining, and no part reports a
   * problem ({@link dev.denoiser.metrics.Health}).
   */
  public boolean ready() {
    return started.get() && !registry.isEmpty() && metrics.health().ok();
  }
}
