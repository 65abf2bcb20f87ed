/**
 * The service's Micrometer registry and the meters every role shares (rejections by source and
 * code, queue and compute times), exposed on {@code /metrics}.
 *
 * <p>May use: {@code error}.
 */
package dev.denoiser.metrics;
