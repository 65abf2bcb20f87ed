package dev.denoiser.data;

/**
 * A data set that cannot be used: a missing or corrupt file, a bad noise spec. The message is one
 * line meant for the user (it names the fix when there is one); there is no stack trace because
 * this is an expected outcome, not a bug.
 */
public class DataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message, null, false, false);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
