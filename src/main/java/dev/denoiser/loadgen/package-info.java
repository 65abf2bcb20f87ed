/**
 * Load generators for the WebSocket and Kafka sources, with latency and lag reports.
 *
 * <p>May use: {@code websocket} (reply format), {@code kafka.client} and the layers below; never
 * {@code cli}.
 */
package dev.denoiser.loadgen;
