package dev.denoiser.kafka.publish;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.MediaType;

/**
 * A good input record, decoded: the frame (stream id = record key, frame id from the {@code
 * frame-id} header), the model it asks for (null: the default model) and its format, in which the
 * denoised frame goes back out.
 */
public record FrameRequest(Frame frame, String model, MediaType type) {}
