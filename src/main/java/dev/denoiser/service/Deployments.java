package dev.denoiser.service;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles a main verticle deployed, newest on top: {@link #drain()} undeploys them newest first,
 * so sources stop taking work before what serves them stops. A failed undeploy is logged and the
 * others still go.
 */
public final class Deployments {
  private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
  private final Vertx vertx;
  private final Deque<String> ids = new ArrayDeque<>();

  public Deployments(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys one role and records it. */
  public Future<String> deploy(Supplier<Deployable> verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).onSuccess(this::push);
  }

  private synchronized void push(String id) {
    ids.push(id);
  }

  private synchronized String pop() {
    return ids.poll();
  }

  /** Undeploys every recorded role, newest first. */
  public Future<Void> drain() {
    Future<Void> chain = Future.succeededFuture();
    for (String id = pop(); id != null; id = pop()) {
      String next = id;
      chain =
          chain.compose(
              v ->
                  vertx
                      .undeploy(next)
                      .recover(
                          e -> {
                            LOG.warn("undeploy failed: {}", e.toString());
                            return Future.succeededFuture();
                          }));
    }
    return chain;
  }
}
