/**
 * Benchmarks that print tables: the serving core alone, raw ONNX Runtime, Kafka
 * throughput and the end-to-end Kafka path.
 *
 * <p>May use: {@code service} and everything below it.
 */
package dev.denoiser.bench;
