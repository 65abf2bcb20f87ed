/**
 * The offline role: training runs started by the admin API, the control topic or the schedule; the
 * reference frames taken from the feed; the validation gate; and the distributors that hand a
 * promoted model to the models topic or directory; its admin HTTP API.
 *
 * <p>May use: {@code kafka} and its sub-packages, {@code hotswap}, {@code http} and the layers
 * below.
 */
package dev.denoiser.trainer;
