package dev.denoiser.websocket;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;

/**
 * The WebSocket limits, read once from the settings.
 *
 * @param maxMessageBytes largest binary message (frame-id header included); larger closes with 1009
 * @param maxInFlight most frames of one connection between receipt and reply
 * @param maxConnections most open connections; the upgrade of one more is refused with 503
 * @param maxInFlightBytes most bytes (as the in-flight budget counts them) of one connection
 *     between receipt and reply; at the limit the server stops reading the socket
 */
public record StreamLimits(
    long maxMessageBytes, int maxInFlight, int maxConnections, long maxInFlightBytes) {
  public StreamLimits {
    if (maxMessageBytes <= 0 || maxInFlight <= 0 || maxConnections <= 0 || maxInFlightBytes <= 0) {
      throw new IllegalArgumentException(
          "stream limits must be positive: maxMessageBytes="
              + maxMessageBytes
              + ", maxInFlight="
              + maxInFlight
              + ", maxConnections="
              + maxConnections
              + ", maxInFlightBytes="
              + maxInFlightBytes);
    }
  }

  public static StreamLimits from(Settings s) {
    return new StreamLimits(
        s.getLong(Setting.STREAM_MAX_MESSAGE_BYTES),
        s.getInt(Setting.STREAM_MAX_IN_FLIGHT),
        s.getInt(Setting.STREAM_MAX_CONNECTIONS),
        s.getLong(Setting.STREAM_MAX_IN_FLIGHT_BYTES));
  }
}
