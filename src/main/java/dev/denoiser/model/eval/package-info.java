/**
 * Natural-image evaluation ({@code eval-natural}): the held-out test photos and the noise
 * protocol, classical baselines (Gaussian blur, median, Chambolle's total variation, and OpenCV's
 * non-local means when its bindings are on the classpath), exported models run through ONNX Runtime
 * on whole photos, and the markdown report with speed and a crop grid. May use {@code model},
 * {@code data}, {@code frame}, {@code config} and {@code error}; only {@code cli} uses it.
 */
package dev.denoiser.model.eval;
