package dev.denoiser.batching;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.Addresses;
import dev.denoiser.inference.BusErrors;
import dev.denoiser.inference.InferenceRequest;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.model.ModelCard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;

/**
 * What every source (HTTP, Kafka, WebSocket) calls to run a frame: checks the model exists and
 * takes the frame's shape, sends the request to the model's batcher, and turns event-bus failures
 * back into {@link DenoiserException}s with their {@link ErrorCode}.
 */
public final class InferenceClient {
  /**
   * Event-bus header naming the source of a request (http, websocket, kafka), for the batcher's
   * shares.
   */
  public static final String SOURCE_HEADER = "source";

  private static final long SLACK_MS = 60_000;
  private final Vertx vertx;
  private final ModelRegistry registry;
  private final long deadlineMillis;

  public InferenceClient(Vertx vertx, ModelRegistry registry, long deadlineMillis) {
    this.vertx = vertx;
    this.registry = registry;
    this.deadlineMillis = deadlineMillis;
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** Runs {@code frame} on {@code model} (null: the default model) with the default deadline. */
  public Future<InferenceResult> infer(Frame frame, String model) {
    return infer(frame, model, deadlineMillis);
  }

  /** As {@link #infer(Frame, String)} with a deadline in milliseconds (0 or less: the default). */
  public Future<InferenceResult> infer(Frame frame, String model, long deadlineMs) {
    String name = registry.resolveName(model);
    try {
      check(name, frame.height(), frame.width());
    } catch (DenoiserException e) {
      return Future.failedFuture(e);
    }
    return submit(frame, name, deadlineMs);
  }

  /**
   * Sends a frame that was already checked ({@link #check(String, int, int)}) to the model's
   * batcher, without checking its shape again. A model removed since the check fails with
   * MODEL_NOT_FOUND, as it would have at the check.
   */
  public Future<InferenceResult> submit(Frame frame, String model, long deadlineMs) {
    return submit(frame, model, deadlineMs, BatchPolicy.DEFAULT_SOURCE);
  }

  /**
   * As {@link #submit(Frame, String, long)} for a named {@code source} (http, websocket, kafka),
   * whose share of the batcher's queue it takes ({@code batching.sourceWeights}).
   */
  public Future<InferenceResult> submit(Frame frame, String model, long deadlineMs, String source) {
    String name = registry.resolveName(model);
    if (!registry.has(name)) {
      try {
        registry.card(name);
      } catch (DenoiserException e) {
        return Future.failedFuture(e);
      }
    }
    long deadline = deadlineMs > 0 ? deadlineMs : deadlineMillis;
    InferenceRequest req = InferenceRequest.of(frame, name, deadline);
    long timeout = deadline + SLACK_MS;
    return vertx
        .eventBus()
        .<InferenceResult>request(
            Addresses.infer(name),
            req,
            new DeliveryOptions()
                .setSendTimeout(timeout)
                .setLocalOnly(true)
                .addHeader(SOURCE_HEADER, source))
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.succeededFuture(ar.result().body())
                    : Future.failedFuture(toError(ar.cause(), name)));
  }

  /** The card of the model a frame would run on, after checking that it takes the frame's shape. */
  public ModelCard check(Frame frame, String model) {
    return check(registry.resolveName(model), frame.height(), frame.width());
  }

  /**
   * The card of model {@code name}, after checking that it takes frames of {@code height} x {@code
   * width}: the one shape check of a frame.
   *
   * @throws DenoiserException MODEL_NOT_FOUND or UNSUPPORTED_SHAPE
   */
  public ModelCard check(String name, int height, int width) {
    ModelCard card = registry.card(name);
    String problem = card.shapeProblem(height, width);
    if (problem != null) {
      throw new DenoiserException(ErrorCode.UNSUPPORTED_SHAPE, problem);
    }
    return card;
  }

  /** Maps a failure of the event-bus request to the typed error the caller should see. */
  public static DenoiserException toError(Throwable t, String model) {
    if (t instanceof DenoiserException de) {
      return de;
    }
    if (t instanceof ReplyException re) {
      switch (re.failureType()) {
        case RECIPIENT_FAILURE:
          return BusErrors.toException(re);
        case NO_HANDLERS:
          return new DenoiserException(
              ErrorCode.MODEL_NOT_READY, "model '" + model + "' is not being served yet");
        case TIMEOUT:
          return new DenoiserException(
              ErrorCode.DEADLINE_EXCEEDED, "no answer from model '" + model + "' in time");
        default:
          break;
      }
    }
    return new DenoiserException(ErrorCode.INTERNAL, String.valueOf(t.getMessage()));
  }
}
