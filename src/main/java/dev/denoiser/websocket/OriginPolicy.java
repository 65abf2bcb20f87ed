package dev.denoiser.websocket;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open the WebSocket. A request without an {@code Origin} header (a
 * device, a script) passes: only browsers send one, and only browsers need protecting from
 * cross-site use of their credentials. A browser origin passes when it is listed in {@code
 * stream.allowedOrigins} (comma-separated; {@code *} lets every origin in), when it is the origin
 * of {@code http.publicUrl}, or when its host is a loopback literal ({@code localhost}, {@code
 * 127.0.0.0/8}, {@code [::1]}: a page of this service opened on the machine itself or through a
 * port forward). The {@code Host} header plays no part: a DNS-rebinding page sends the service's
 * own address there, but its own name as the origin. Names are never resolved. Compared without
 * case and trailing slash; default ports are dropped.
 */
final class OriginPolicy {
  private final Set<String> allowed;
  private final boolean any;

  OriginPolicy(String setting, String publicUrl) {
    Set<String> a =
        Arrays.stream(setting == null ? new String[0] : setting.split(","))
            .map(OriginPolicy::normalize)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    if (publicUrl != null && !publicUrl.isBlank()) {
      a.add(normalize(publicUrl));
    }
    this.allowed = Set.copyOf(a);
    this.any = allowed.contains("*");
  }

  boolean allows(String origin) {
    if (origin == null || any) {
      return true;
    }
    String o = normalize(origin);
    return allowed.contains(o) || loopback(o);
  }

  static boolean loopback(String origin) {
    try {
      URI u = new URI(origin);
      String host = u.getHost();
      if (host == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return false;
      }
      return host.equals("localhost")
          || host.equals("[::1]")
          || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    } catch (Exception e) {
      return false;
    }
  }

  /** scheme://host[:port] in lower case, without path, trailing slash or default port. */
  static String normalize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("*") || t.isEmpty()) {
      return t;
    }
    try {
      URI u = new URI(t);
      if (u.getScheme() != null && u.getHost() != null) {
        int port = u.getPort();
        boolean dflt =
            port == -1
                || ("http".equals(u.getScheme()) && port == 80)
                || ("https".equals(u.getScheme()) && port == 443);
        return u.getScheme() + "://" + u.getHost() + (dflt ? "" : ":" + port);
      }
    } catch (Exception e) {
      // not a URL: compared as written
    }
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }
}
