/**
 * Refreshing a served denoiser on the noisy frames of its own feed, without clean frames: the
 * self-supervised objectives (Recorrupted-to-Recorrupted, Neighbor2Neighbor), optionally aware that
 * an 8-bit feed clips the noise ({@link dev.denoiser.model.selfsup.ClipMean}); the noise level from
 * {@link dev.denoiser.frame.NoiseEstimate}; and the gate that scores a candidate against the
 * serving model by a clipping-aware SURE estimate of PSNR ({@link
 * dev.denoiser.model.selfsup.ClippedSure}). Entry point: {@link
 * dev.denoiser.model.selfsup.SelfSupervisedRefresh#run}.
 *
 * <p>May use: {@code model}, {@code data}, {@code frame}, {@code error}.
 */
package dev.denoiser.model.selfsup;
