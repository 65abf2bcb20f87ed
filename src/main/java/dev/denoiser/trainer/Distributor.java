package dev.denoiser.trainer;

import dev.denoiser.model.ModelCard;

/**
 * Where a promoted model goes: the models topic (every replica follows it) or, without Kafka,
 * {@code models.dir} of this process (the directory watcher of every replica sharing it, or this
 * process's registry, takes it from there). Blocking.
 */
interface Distributor extends AutoCloseable {
  /**
   * Publishes {@code card} (sha256 set) with its ONNX bytes; returns where it went, for the run's
   * result.
   */
  String publish(ModelCard card, byte[] onnx) throws Exception;

  @Override
  default void close() {}
}
