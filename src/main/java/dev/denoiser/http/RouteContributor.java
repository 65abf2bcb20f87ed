package dev.denoiser.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Lets other roles (WebSocket stream, admin API, web page) mount routes on the one HTTP server, so
 * everything shares a port. Called once per HTTP verticle instance, on its event loop.
 */
@FunctionalInterface
public interface RouteContributor {
  void mount(Vertx vertx, Router router);
}
