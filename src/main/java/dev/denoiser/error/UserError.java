package dev.denoiser.error;

/**
 * A failure caused by the user's input or environment (a bad option, an unreachable broker, a
 * missing model): the command line prints it as one line and exits with code 2, without a stack
 * trace. Any command of any package may throw it.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message, null, false, false);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
