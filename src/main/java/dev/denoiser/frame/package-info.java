/**
 * The frame, the unit everything moves: pixels in [0,1] with height, width, stream id and frame id
 * ({@link dev.denoiser.frame.Frame}), its wire media types, and the codec that turns bytes into a
 * checked frame and back within the pixel limit.
 *
 * <p>May use: {@code error}.
 */
package dev.denoiser.frame;
