/**
 * Dynamic batching per model (max batch size, max delay in microseconds, bounded queue, per-request
 * deadline) and {@link dev.denoiser.batching.InferenceClient}, through which every source sends a
 * frame to its model's batcher.
 *
 * <p>May use: {@code inference} and the layers below.
 */
package dev.denoiser.batching;
