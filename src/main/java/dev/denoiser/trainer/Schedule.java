package dev.denoiser.trainer;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trainer.schedule}: empty (no schedule) or an interval, either {@code <n><unit>} with unit
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 90s}, {@code 6h}) or ISO-8601
 * ({@code PT1H30M}). At least one second.
 */
final class Schedule {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Schedule() {}

  /**
   * The interval, or null for none; an unreadable value is an IllegalArgumentException naming the
   * key.
   */
  static Duration parse(String s) {
    String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.equals("off") || t.equals("none")) {
      return null;
    }
    Duration d;
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "trainer.schedule must be empty, an interval such as 6h, 30m, 90s, "
                + "or ISO-8601 such as PT1H; got '"
                + s
                + "'");
      }
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("trainer.schedule must be at least 1s, got '" + s + "'");
    }
    return d;
  }
}
