/**
 * Typed failures: {@link dev.denoiser.error.ErrorCode} (each with its HTTP status) and {@link
 * dev.denoiser.error.DenoiserException}, which every layer throws and every source turns into its
 * own wire form (HTTP JSON, WebSocket error text, Kafka dead letter); {@link
 * dev.denoiser.error.UserError} for one-line command-line failures.
 *
 * <p>Bottom layer: uses nothing of the project.
 */
package dev.denoiser.error;
