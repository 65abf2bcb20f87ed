package dev.denoiser.source;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.Locale;

/**
 * The one parser of the text values sources receive: HTTP query parameters and headers, WebSocket
 * query parameters, Kafka record headers. Absent or blank is null (or false); a value that does not
 * parse is a {@link DenoiserException} with the caller's error code and a one-line message naming
 * the value (abbreviated to 40 characters).
 */
public final class Params {
  private static final int SHOWN = 40;

  private Params() {}

  /**
   * {@code value} as a decimal int, or null when absent or blank.
   *
   * @param what how the message names the value, e.g. {@code width} or {@code header 'width'}
   * @throws DenoiserException {@code code} when present but not an int
   */
  public static Integer integer(String what, String value, ErrorCode code) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new DenoiserException(
          code, what + " must be an integer, got '" + abbreviate(value) + "'");
    }
  }

  /**
   * {@code value} as a flag: true/1/yes or false/0/no (any case); absent or blank is false.
   *
   * @throws DenoiserException {@code code} for anything else
   */
  public static boolean bool(String what, String value, ErrorCode code) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new DenoiserException(
              code, what + " must be true or false, got '" + abbreviate(value) + "'");
    };
  }

  /** One line of at most 40 characters (plus "..."), for quoting client input in a message. */
  public static String abbreviate(String s) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.length() <= SHOWN ? one : one.substring(0, SHOWN) + "...";
  }
}
