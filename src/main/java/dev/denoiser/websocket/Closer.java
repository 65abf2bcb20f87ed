package dev.denoiser.websocket;

import dev.denoiser.error.ErrorCode;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Closes a stream socket once, with one of the protocol's close codes, and writes the JSON error
 * texts {@code {"seq":..,"code":..,"message":..}} ({@code frameId} added when known).
 */
final class Closer {
  static final short GOING_AWAY = 1001;
  static final short POLICY_VIOLATION = 1008;
  static final short MESSAGE_TOO_BIG = 1009;
  private static final int MAX_REASON_BYTES = 123;
  private final ServerWebSocket ws;
  private final StreamMetrics metrics;
  private boolean closed;

  Closer(ServerWebSocket ws, StreamMetrics metrics) {
    this.ws = ws;
    this.metrics = metrics;
  }

  boolean closed() {
    return closed;
  }

  /** The peer closed, or the connection broke. */
  void markClosed() {
    closed = true;
  }

  /** Closes with {@code code}; the reason is cut to the 123 bytes a close frame can carry. */
  void close(short code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    metrics.closed(code);
    ws.close(code, truncate(reason));
    // read again (frames are ignored now) so that the peer's close frame arrives and the closing
    // handshake ends, instead of waiting out the shutdown grace behind a paused socket
    ws.resume();
  }

  /**
   * Sends the reason as a JSON error text first (reasons are short, and some clients hide them).
   */
  void fail(short code, ErrorCode error, String message) {
    if (!closed) {
      ws.writeTextMessage(errorJson(null, error, message, null));
      metrics.error(error, false);
    }
    close(code, message);
  }

  static String errorJson(Long seq, ErrorCode code, String message, String frameId) {
    JsonObject j =
        new JsonObject().put("seq", seq).put("code", code.name()).put("message", message);
    if (frameId != null) {
      j.put("frameId", frameId);
    }
    return j.encode();
  }

  static String truncate(String reason) {
    byte[] b = reason.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String s = reason;
    while (s.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
      s = s.substring(0, s.length() - 1);
    }
    return s + "...";
  }
}
