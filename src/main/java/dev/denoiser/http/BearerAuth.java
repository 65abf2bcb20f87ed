package dev.denoiser.http;

import dev.denoiser.error.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer <auth.token>} in constant time. As a route handler it reads
 * the header only; {@link #allows} also takes an {@code ?access_token=} value, which only the
 * WebSocket upgrade passes (browsers cannot set headers there; anywhere else a token in the URL
 * ends up in logs and Referer headers). With no token configured it lets everything through.
 */
public final class BearerAuth implements Handler<RoutingContext> {
  private final byte[] token;

  public BearerAuth(String token) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean enabled() {
    return token != null;
  }

  /** True when the request carries the token (or none is configured). */
  public boolean allows(String authorizationHeader, String accessTokenParam) {
    if (token == null) {
      return true;
    }
    String presented = null;
    if (authorizationHeader != null
        && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorizationHeader.substring(7).trim();
    } else if (accessTokenParam != null) {
      presented = accessTokenParam;
    }
    return presented != null
        && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (allows(ctx.request().getHeader("Authorization"), null)) {
      ctx.next();
    } else {
      HttpErrors.send(
          ctx, ErrorCode.UNAUTHORIZED, "a valid bearer token is required (auth.token is set)");
    }
  }
}
