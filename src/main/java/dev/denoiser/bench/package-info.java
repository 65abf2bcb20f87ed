/**
 * Benchmarks that print tables: the serving core alone, raw ONNX Runtime, Kafka throughput, the
 * end-to-end Kafka path, and natural-image frames through every path ({@code bench natural}).
 *
 * <p>May use: {@code service} and everything below it.
 */
package dev.denoiser.bench;
