/**
 * The feed sample: a bounded, per-model reservoir of the frames the service actually serves, kept
 * for self-supervised refresh only when {@code feed.sample.models} names the model. Held in memory
 * as 8-bit pixels with their noise estimate; written to disk only when {@code feed.sample.dir} is
 * set.
 *
 * <p>May use: the layers below ({@code error}, {@code config}, {@code frame}, {@code metrics}).
 */
package dev.denoiser.sample;
