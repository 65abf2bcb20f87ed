/**
 * Training and demo data: MNIST in IDX files, image sets, noise models, and the sample digits
 * bundled as resources so demos need no download.
 *
 * <p>May use: the layers below ({@code error}, {@code config}, {@code frame}, {@code metrics}).
 */
package dev.denoiser.data;
