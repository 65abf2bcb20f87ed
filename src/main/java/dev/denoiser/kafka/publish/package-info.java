/**
 * The output side of the Kafka ingest: per-partition ledgers that release outputs in input order,
 * the denoised, latent and dead-letter records, and the two publishers (at-least-once, and
 * exactly-once in a transaction) that commit offsets only after the outputs.
 *
 * <p>May use: {@code kafka.client}, {@code inference} (results) and the layers below.
 */
package dev.denoiser.kafka.publish;
