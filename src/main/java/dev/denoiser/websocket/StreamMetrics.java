package dev.denoiser.websocket;

import dev.denoiser.error.ErrorCode;
import dev.denoiser.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket meters, {@code denoiser_ws_*} on the shared registry: open connections (gauge),
 * connections opened and refused (by reason), frames in and out (by mode), frames dropped in live
 * mode, error messages (by code), server-side closes (by close code), read pauses (lossless
 * backpressure) and OVERLOADED retries. Frames refused before inference are also counted in {@code
 * denoiser_frames_rejected_total{source="websocket"}}.
 */
final class StreamMetrics {
  private final MeterRegistry registry;
  private final ServiceMetrics service;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter opened;
  private final Counter dropped;
  private final Counter paused;
  private final Counter retries;

  StreamMetrics(ServiceMetrics service) {
    this.service = service;
    this.registry = service.registry();
    Gauge.builder("denoiser_ws_connections", open, AtomicInteger::get)
        .description("WebSocket connections open now")
        .register(registry);
    opened =
        Counter.builder("denoiser_ws_connections_opened")
            .description("WebSocket connections accepted")
            .register(registry);
    dropped =
        Counter.builder("denoiser_ws_frames_dropped")
            .description("Frames dropped in live mode because a newer frame arrived")
            .register(registry);
    paused =
        Counter.builder("denoiser_ws_read_pauses")
            .description(
                "Times a connection stopped reading because its in-flight window or write queue was full")
            .register(registry);
    retries =
        Counter.builder("denoiser_ws_retries")
            .description("Frames sent to the batcher again after OVERLOADED")
            .register(registry);
  }

  AtomicInteger open() {
    return open;
  }

  void opened() {
    opened.increment();
  }

  void refused(String reason) {
    registry.counter("denoiser_ws_connections_refused", "reason", reason).increment();
  }

  void frameIn(StreamMode mode) {
    registry.counter("denoiser_ws_frames_in", "mode", mode.wireName()).increment();
  }

  void frameOut(StreamMode mode) {
    registry.counter("denoiser_ws_frames_out", "mode", mode.wireName()).increment();
  }

  void dropped() {
    dropped.increment();
  }

  void paused() {
    paused.increment();
  }

  void retry() {
    retries.increment();
  }

  /** An error message sent to a client; frames refused before inference also count as rejected. */
  void error(ErrorCode code, boolean beforeInference) {
    registry.counter("denoiser_ws_errors", "code", code.name()).increment();
    if (beforeInference) {
      service.rejected("websocket", code);
    }
  }

  void closed(short code) {
    registry.counter("denoiser_ws_closes", "code", Short.toString(code)).increment();
  }
}
