package dev.denoiser.error;

/**
 * A typed failure with a code and a one-line message meant for the client. It carries no stack
 * trace: these are expected outcomes (bad input, overload), not bugs.
 */
public class DenoiserException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public DenoiserException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public DenoiserException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static DenoiserException of(ErrorCode code, String format, Object... args) {
    return new DenoiserException(code, String.format(java.util.Locale.ROOT, format, args));
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
