package dev.denoiser.inference;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Typed errors across the event bus, by name: the recipient fails a request with {@code "<CODE>:
 * <message>"} (and the code's HTTP status as failure code, for logs); the requester reads the name
 * back. An {@link ErrorCode}'s ordinal never travels, so adding or reordering codes cannot change
 * what a failure means.
 */
public final class BusErrors {
  private static final String SEPARATOR = ": ";

  private BusErrors() {}

  /** Fails {@code msg} with {@code code} and a one-line {@code message}. */
  public static void fail(Message<?> msg, ErrorCode code, String message) {
    msg.fail(code.httpStatus(), code.name() + SEPARATOR + message);
  }

  /**
   * The typed error a recipient failure stands for; a failure without a known code name is INTERNAL
   * with the whole message.
   */
  public static DenoiserException toException(ReplyException e) {
    String m = String.valueOf(e.getMessage());
    int at = m.indexOf(SEPARATOR);
    if (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && at > 0) {
      try {
        return new DenoiserException(
            ErrorCode.valueOf(m.substring(0, at)), m.substring(at + SEPARATOR.length()));
      } catch (IllegalArgumentException notACode) {
        // fall through: someone else's failure text
      }
    }
    return new DenoiserException(ErrorCode.INTERNAL, m);
  }
}
