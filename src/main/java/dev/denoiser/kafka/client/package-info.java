/**
 * What every Kafka client of the service shares: the options built from the settings, the record
 * header names of the wire format, topic creation, and the Kafka meters.
 *
 * <p>May use: {@code source} (the parameter parser) and the layers below.
 */
package dev.denoiser.kafka.client;
