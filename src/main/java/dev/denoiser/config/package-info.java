/**
 * Settings: every configuration key with its default and description ({@link
 * dev.denoiser.config.Setting}), the typed view of a loaded configuration ({@link
 * dev.denoiser.config.Settings}) and the loader that merges file, environment and command line.
 *
 * <p>Bottom layer: uses nothing of the project.
 */
package dev.denoiser.config;
