/**
 * The main verticles: {@link dev.denoiser.service.ServiceVerticle} deploys a serving replica's
 * roles (inference workers, batchers, HTTP, WebSocket, Kafka, hot swap, optionally the trainer),
 * {@link dev.denoiser.service.TrainerServiceVerticle} the trainer-only role; both drain their roles
 * newest first on shutdown.
 *
 * <p>May use: every package below it; nothing but {@code cli} and {@code bench} use it.
 */
package dev.denoiser.service;
