/**
 * The Kafka source: the consumer verticle ({@code batchHandler}), the decoder from record to
 * admitted frame, and the pipeline that runs frames through the batcher, holds refused ones and
 * pauses their partitions.
 *
 * <p>May use: {@code kafka.publish}, {@code kafka.client}, {@code source}, {@code batching} and the
 * layers below.
 */
package dev.denoiser.kafka.ingest;
