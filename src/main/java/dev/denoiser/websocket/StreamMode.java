package dev.denoiser.websocket;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.Locale;

/**
 * How a WebSocket connection treats frames that arrive faster than the model runs.
 *
 * <ul>
 *   <li>{@link #LIVE}: latest wins. One frame runs at a time; of the frames that arrive meanwhile
 *       only the newest is kept, the others are dropped and counted.
 *   <li>{@link #LOSSLESS}: every frame runs, in order. At most a window of frames is between
 *       receipt and reply; when it is full the server stops reading the socket (TCP backpressure).
 * </ul>
 */
public enum StreamMode {
  LIVE,
  LOSSLESS;

  /** Parses {@code live} or {@code lossless} (null or blank: live). */
  public static StreamMode parse(String s) {
    if (s == null || s.isBlank()) {
      return LIVE;
    }
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST, "mode must be live or lossless, got '" + s + "'");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
