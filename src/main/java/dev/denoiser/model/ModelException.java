package dev.denoiser.model;

/**
 * A model that cannot be built, trained, exported or read: an unknown architecture, an impossible
 * shape, a file that is not one of our ONNX graphs. One line meant for the user, no stack trace.
 */
public class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message, null, false, false);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
