/**
 * Getting new model versions into every serving replica: the models-topic follower and its
 * envelope, the directory watcher, and the installer that checks a version and swaps it into the
 * registry. Every replica runs it, trainer or not.
 *
 * <p>May use: {@code inference} and the layers below; reads Kafka with the plain client, not
 * through {@code kafka}.
 */
package dev.denoiser.hotswap;
