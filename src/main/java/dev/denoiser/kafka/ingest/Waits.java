package dev.denoiser.kafka.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waiting on the event loop, without blocking it, for a condition of single-threaded state. */
public final class Waits {
  private static final Logger LOG = LoggerFactory.getLogger(Waits.class);
  private static final long CHECK_MS = 10;

  private Waits() {}

  /**
   * Completes once {@code condition} holds, checked every few milliseconds on the caller's context,
   * or at {@code deadlineMillis} (wall clock), whichever comes first; never fails.
   */
  static Future<Void> until(Vertx vertx, BooleanSupplier condition, long deadlineMillis) {
    Promise<Void> p = Promise.promise();
    check(vertx, condition, deadlineMillis, p);
    return p.future();
  }

  private static void check(
      Vertx vertx, BooleanSupplier condition, long deadline, Promise<Void> p) {
    if (condition.getAsBoolean()) {
      p.complete();
    } else if (System.currentTimeMillis() >= deadline) {
      LOG.warn(
          "shutdown grace period over; going on with work still in flight (it stays uncommitted)");
      p.complete();
    } else {
      vertx.setTimer(CHECK_MS, id -> check(vertx, condition, deadline, p));
    }
  }
}
