package dev.denoiser.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Drives a request function with {@code concurrency} callers that each send the next request as
 * soon as the previous one answers (closed loop), for a warm-up and then a measured period. Runs on
 * one Vert.x event loop, so the histogram needs no lock.
 */
public final class ClosedLoop {
  private final Vertx vertx;
  private final IntFunction<Future<?>> request;

  /** {@code request.apply(i)} sends the i-th request. */
  public ClosedLoop(Vertx vertx, IntFunction<Future<?>> request) {
    this.vertx = vertx;
    this.request = request;
  }

  public Future<Stats> run(int concurrency, double warmupSeconds, double seconds) {
    Promise<Stats> done = Promise.promise();
    vertx.runOnContext(
        v -> {
          long t0 = System.nanoTime();
          long measureFrom = t0 + (long) (warmupSeconds * 1e9);
          long measureTo = measureFrom + (long) (seconds * 1e9);
          Histogram hist = Stats.newHistogram();
          AtomicLong counter = new AtomicLong();
          long[] measured = new long[2];
          int[] active = {concurrency};
          for (int c = 0; c < concurrency; c++) {
            next(counter, hist, measured, active, measureFrom, measureTo, done);
          }
        });
    return done.future();
  }

  private void next(
      AtomicLong counter,
      Histogram hist,
      long[] measured,
      int[] active,
      long from,
      long to,
      Promise<Stats> done) {
    long sent = System.nanoTime();
    if (sent >= to) {
      if (--active[0] == 0) {
        done.complete(Stats.of(hist, measured[0], (to - from) / 1e9, measured[1]));
      }
      return;
    }
    request
        .apply((int) counter.getAndIncrement())
        .onComplete(
            ar -> {
              long now = System.nanoTime();
              if (sent >= from && now <= to) {
                if (ar.succeeded()) {
                  measured[0]++;
                  hist.recordValue(Math.max(1, (now - sent) / 1000));
                } else {
                  measured[1]++;
                }
              }
              next(counter, hist, measured, active, from, to, done);
            });
  }
}
