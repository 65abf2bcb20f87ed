/**
 * The autoencoder family and everything done to a model offline: architectures, training with DJL
 * on PyTorch, ONNX export and import, evaluation and reports, the model card, and the process-wide
 * ONNX Runtime environment ({@link dev.denoiser.model.OrtEnv}).
 *
 * <p>May use: {@code data} and the layers below. Never the serving side.
 */
package dev.denoiser.model;
