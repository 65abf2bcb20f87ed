package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.http.BearerAuth;
import dev.denoiser.http.HttpErrors;
import dev.denoiser.http.RouteContributor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The trainer's admin API, behind the bearer token ({@code auth.token}). Every POST must say {@code
 * Content-Type: application/json} (415 {@code UNSUPPORTED_MEDIA_TYPE} otherwise), so that a browser
 * cannot send one cross-site without a CORS preflight.
 *
 * <ul>
 *   <li>{@code POST /v1/admin/models/{name}/train}, optional JSON body of {@link TrainParams}:
 *       queues a run; 202 with the run (and {@code Location}); 400 {@code BAD_REQUEST} for bad JSON
 *       or parameters or a run over the {@link RunLimits}, 404 {@code MODEL_NOT_FOUND}, 409 {@code
 *       TRAINER_BUSY}.
 *   <li>{@code GET /v1/admin/runs}: {@code {"runs": [...]}}, newest first.
 *   <li>{@code GET /v1/admin/runs/{id}}: one run (progress, result), or 404 {@code RUN_NOT_FOUND}.
 *   <li>{@code DELETE /v1/admin/runs/{id}} or {@code POST /v1/admin/runs/{id}/cancel}: cancels it.
 *       A queued run ends {@code cancelled} at once (200); the running one stops at its next
 *       training step (202, {@code cancelRequested: true}; poll until {@code cancelled}); a run
 *       that is over is answered as it is (200).
 * </ul>
 */
public final class AdminApi implements RouteContributor {
  public static final String PREFIX = "/v1/admin";
  private final Triggers triggers;
  private final BearerAuth auth;

  public AdminApi(Triggers triggers, String token) {
    this.triggers = triggers;
    this.auth = new BearerAuth(token);
  }

  @Override
  public void mount(Vertx vertx, Router router) {
    router.route(PREFIX + "/*").handler(auth);
    router
        .post(PREFIX + "/models/:name/train")
        .handler(AdminApi::requireJson)
        .handler(ctx -> train(vertx, ctx));
    router
        .get(PREFIX + "/runs")
        .handler(
            ctx ->
                json(
                    ctx,
                    200,
                    new JsonObject()
                        .put(
                            "runs",
                            new JsonArray(
                                triggers.book().list().stream()
                                    .map(TrainingRun::toJson)
                                    .toList()))));
    router
        .get(PREFIX + "/runs/:id")
        .handler(ctx -> json(ctx, 200, triggers.book().get(ctx.pathParam("id")).toJson()));
    router.delete(PREFIX + "/runs/:id").handler(this::cancel);
    router.post(PREFIX + "/runs/:id/cancel").handler(AdminApi::requireJson).handler(this::cancel);
  }

  private void cancel(RoutingContext ctx) {
    TrainingRun run = triggers.book().cancel(ctx.pathParam("id"), "cancelled by an admin call");
    json(ctx, run.state().done() ? 200 : 202, run.toJson());
  }

  /** Refuses a POST whose body is not declared JSON (a cross-site form or text/plain POST). */
  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].trim();
    if (!mime.equalsIgnoreCase("application/json")) {
      HttpErrors.send(
          ctx,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "admin calls take Content-Type: application/json, got "
              + (type == null ? "none" : "'" + type + "'"));
      return;
    }
    ctx.next();
  }

  private void train(Vertx vertx, RoutingContext ctx) {
    JsonObject params = body(ctx);
    String model = ctx.pathParam("name");
    vertx
        .executeBlocking(() -> triggers.submit(model, params, "admin"))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                TrainingRun run = ar.result();
                ctx.response().putHeader("Location", PREFIX + "/runs/" + run.id());
                json(ctx, 202, run.toJson());
              } else if (ar.cause() instanceof DenoiserException e) {
                HttpErrors.send(ctx, e);
              } else {
                ctx.fail(ar.cause());
              }
            });
  }

  private static JsonObject body(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    if (b == null || b.length() == 0 || b.toString().isBlank()) {
      return null;
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(b);
      if (v instanceof JsonObject j) {
        return j;
      }
    } catch (DecodeException e) {
      // falls through
    }
    throw new DenoiserException(
        ErrorCode.BAD_REQUEST, "the body must be a JSON object of training parameters");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encodePrettily());
  }
}
