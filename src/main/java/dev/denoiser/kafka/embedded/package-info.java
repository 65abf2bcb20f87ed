/**
 * The single-node KRaft broker started from the Maven artifacts when no {@code
 * kafka.bootstrap.servers} is set, and the demo feed of noisy digits that runs with it.
 *
 * <p>May use: {@code kafka.client} and the layers below.
 */
package dev.denoiser.kafka.embedded;
