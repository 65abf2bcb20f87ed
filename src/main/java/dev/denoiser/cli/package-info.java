/**
 * The command line: every command ({@code serve}, {@code trainer}, {@code train}, {@code eval},
 * {@code export}, {@code bench}, {@code loadgen}, {@code config}, {@code prepare}, {@code broker},
 * {@code health}) and the runner that starts and drains a service.
 *
 * <p>Top layer: may use any package; none uses it.
 */
package dev.denoiser.cli;
