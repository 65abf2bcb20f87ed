/**
 * The WebSocket source {@code /v1/stream}: one binary message per frame, replies in order with a
 * sequence number, live (latest wins) or lossless (TCP backpressure) mode; and the demo web page.
 *
 * <p>May use: {@code http} (auth, errors, routes), {@code source} and the layers below.
 */
package dev.denoiser.websocket;
