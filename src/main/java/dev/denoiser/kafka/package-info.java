/**
 * The Kafka role of a replica: deploys the embedded broker when none is configured, the topics, the
 * models-topic follower, the ingest verticles and the demo feed, and logs throughput.
 *
 * <p>May use: its sub-packages, {@code hotswap}, {@code source} and the layers below.
 */
package dev.denoiser.kafka;
