/**
 * Serving a model: the registry of loaded versions and their swap, the worker verticle that runs
 * ONE ONNX Runtime call per batch, the batch and result records that cross the event bus, their
 * local codec, and the event-bus addresses.
 *
 * <p>May use: {@code model} and the layers below.
 */
package dev.denoiser.inference;
