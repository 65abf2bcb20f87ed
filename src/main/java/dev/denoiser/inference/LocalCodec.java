package dev.denoiser.inference;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable records between verticles of one JVM by reference. Registered as the default
 * codec for each record type, so senders need no DeliveryOptions. There is no wire form: these
 * messages never leave the process.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /**
   * Registers the local codecs for every event-bus record type: the one place they are registered,
   * called by the main verticle before it deploys anything (tests that deploy verticles on their
   * own call it too). Safe to call more than once.
   */
  public static void registerAll(Vertx vertx) {
    register(vertx, InferenceRequest.class);
    register(vertx, InferenceResult.class);
    register(vertx, Batch.class);
    register(vertx, BatchResult.class);
  }

  public static synchronized <T> void register(Vertx vertx, Class<T> type) {
    try {
      vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vertx instance did it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is local-only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is local-only");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
