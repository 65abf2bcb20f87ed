package dev.denoiser.model.eval;

/**
 * A denoising method under evaluation: takes a noisy image (0-255 scale, gray or RGB) and returns
 * an image of the same size and channel count. Values outside [0, 255] are allowed; the scoring
 * clips them.
 */
public interface Denoiser {

  /** A short label for tables, with the parameter if there is one ({@code "median 3x3"}). */
  String name();

  /** Denoises one image. */
  Image denoise(Image noisy);
}
