package dev.denoiser.source;

import dev.denoiser.batching.InferenceClient;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.model.ModelCard;
import io.vertx.core.Future;

/**
 * The checks every source runs on a frame, each exactly once: bytes to {@link Frame} within the
 * frame limits ({@code frame.maxPixels}, via {@link FrameCodec}), then the model lookup and its
 * shape check. An {@link Admitted} frame goes to the batcher without being checked again, also when
 * a source retries it after OVERLOADED. Every refusal is a typed {@link
 * dev.denoiser.error.DenoiserException} (INVALID_FRAME, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE,
 * MODEL_NOT_FOUND, UNSUPPORTED_SHAPE) for the source to report its way.
 */
public final class FrameGate {
  private final FrameCodec codec;
  private final InferenceClient client;
  private final MemoryBudget budget;

  public FrameGate(FrameCodec codec, InferenceClient client, MemoryBudget budget) {
    this.codec = codec;
    this.client = client;
    this.budget = budget;
  }

  /**
   * Takes a frame's bytes from the in-flight budget before it is decoded: the {@link FrameCost} of
   * what {@code bytes} declare (its size checked against {@code frame.maxPixels} first). Close the
   * lease when the frame's reply is sent or it fails.
   *
   * @throws dev.denoiser.error.DenoiserException PAYLOAD_TOO_LARGE for a declared size over the
   *     limit, OVERLOADED when the budget (or the source's share of it) is spent
   */
  public MemoryBudget.Lease reserve(
      String source, MediaType type, byte[] bytes, Integer width, Integer height) {
    return budget.acquire(source, FrameCost.estimate(codec, type, bytes, width, height));
  }

  /**
   * As {@link #reserve}, for a source that already holds {@code lease} for the encoded bytes (an
   * HTTP body, counted while it was read): the lease grows by the rest of the frame's cost.
   */
  public void reserveMore(
      MemoryBudget.Lease lease, MediaType type, byte[] bytes, Integer width, Integer height) {
    long cost = FrameCost.estimate(codec, type, bytes, width, height);
    if (!lease.grow(cost - lease.bytes())) {
      throw budget.overloaded(cost - lease.bytes());
    }
  }

  public MemoryBudget budget() {
    return budget;
  }

  /** A frame that passed the gate, with the name of the model it runs on (never null). */
  public record Admitted(Frame frame, String model, ModelCard card) {}

  /**
   * Decodes {@code bytes} (raw formats need the size) and admits the frame for {@code model} (null:
   * default).
   */
  public Admitted admit(
      MediaType type,
      byte[] bytes,
      Integer width,
      Integer height,
      String streamId,
      String frameId,
      String model) {
    return admit(codec.decode(type, bytes, width, height, streamId, frameId), model);
  }

  /**
   * Admits a frame a source decoded itself with {@link #codec()} (for example from JSON tensors).
   */
  public Admitted admit(Frame frame, String model) {
    String name = client.registry().resolveName(model);
    return new Admitted(frame, name, client.check(name, frame.height(), frame.width()));
  }

  /**
   * Checks a size declared ahead of the frames (a raw-format WebSocket stream) against the limits
   * and the model's shape, with the same rules as {@link #admit(Frame, String)}.
   */
  public ModelCard checkSize(String model, int height, int width) {
    codec.checkSize(height, width);
    return client.check(client.registry().resolveName(model), height, width);
  }

  /** Runs an admitted frame; {@code deadlineMs} 0 or less is the batcher's default deadline. */
  public Future<InferenceResult> run(Admitted a, long deadlineMs) {
    return client.submit(a.frame(), a.model(), deadlineMs);
  }

  /** As {@link #run(Admitted, long)}, counted in the batcher's queue share of {@code source}. */
  public Future<InferenceResult> run(Admitted a, long deadlineMs, String source) {
    return client.submit(a.frame(), a.model(), deadlineMs, source);
  }

  public FrameCodec codec() {
    return codec;
  }
}
