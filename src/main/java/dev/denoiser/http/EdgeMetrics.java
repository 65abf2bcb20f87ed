package dev.denoiser.http;

import dev.denoiser.error.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The HTTP edge's meters: {@code denoiser_http_errors_total{code}} (every typed error answer) and
 * {@code denoiser_http_connections_closed_total{reason}} (connections the edge closed: {@code
 * per_client_cap}, {@code header_timeout}, {@code body_timeout}, {@code unauthorized}).
 */
public final class EdgeMetrics {
  /** Where the routing context keeps this, for {@link HttpErrors#send}. */
  static final String KEY = "denoiser.edgeMetrics";

  private final MeterRegistry registry;

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void error(ErrorCode code) {
    registry.counter("denoiser_http_errors", "code", code.name()).increment();
  }

  void closed(String reason) {
    registry.counter("denoiser_http_connections_closed", "reason", reason).increment();
  }
}
