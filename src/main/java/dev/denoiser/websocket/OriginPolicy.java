package dev.denoiser.websocket;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open the WebSocket ({@code stream.allowedOrigins}, comma-separated).
 * A request without an {@code Origin} header (a device, a script) passes: only browsers send one,
 * and only browsers need protecting from cross-site use of their credentials. A page served by
 * this service (same origin as the {@code Host} header) always passes; {@code *} lets every origin
 * in; otherwise the origin must be listed, compared without case and trailing slash.
 */
final class OriginPolicy {
  private final Set<String> allowed;
  private final boolean any;

  OriginPolicy(String setting) {
    this.allowed = Arrays.stream(setting == null ? new String[0] : setting.split(","))
        .map(OriginPolicy::normalize).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    this.any = allowed.contains("*");
  }

  boolean allows(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String o = normalize(origin);
    if (allowed.contains(o)) {
      return true;
    }
    int scheme = o.indexOf("://");
    return host != null && scheme > 0 && o.substring(scheme + 3).equals(host.trim().toLowerCase(Locale.ROOT));
  }

  private static String normalize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }
}
