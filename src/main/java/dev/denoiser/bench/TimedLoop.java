package dev.denoiser.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed loop for slow requests (large frames, a loaded machine): {@code concurrency} callers
 * each send the next request when the previous one answers. Unlike {@link ClosedLoop}, every answer
 * that arrives inside the measured period counts, even if its request was sent before it, and the
 * period runs on past {@code seconds} until at least {@code minAnswers} answers have arrived in it,
 * so a cell whose frames take longer than the period still measures something. Frames per second =
 * answers in the period over its length; latency is send to answer. Runs on one Vert.x context, so
 * the bookkeeping needs no lock (requests must answer on the caller's context).
 */
final class TimedLoop {
  private final Vertx vertx;
  private final IntFunction<Future<?>> request;

  TimedLoop(Vertx vertx, IntFunction<Future<?>> request) {
    this.vertx = vertx;
    this.request = request;
  }

  Future<Stats> run(int concurrency, double warmupSeconds, double seconds, int minAnswers) {
    Promise<Stats> done = Promise.promise();
    vertx.runOnContext(v -> new Run(concurrency, warmupSeconds, seconds, minAnswers, done).start());
    return done.future();
  }

  private final class Run {
    private final int concurrency;
    private final long from;
    private final long to;
    private final int minAnswers;
    private final Promise<Stats> done;
    private final Histogram hist = Stats.newHistogram();
    private int sent;
    private int active;
    private long ok;
    private long errors;
    private long last;

    Run(
        int concurrency,
        double warmupSeconds,
        double seconds,
        int minAnswers,
        Promise<Stats> done) {
      this.concurrency = concurrency;
      this.from = System.nanoTime() + (long) (warmupSeconds * 1e9);
      this.to = from + (long) (seconds * 1e9);
      this.minAnswers = minAnswers;
      this.done = done;
    }

    void start() {
      active = concurrency;
      for (int c = 0; c < concurrency; c++) {
        next();
      }
    }

    private boolean measuring(long now) {
      return now >= from && (now <= to || ok + errors < minAnswers);
    }

    private void next() {
      long t0 = System.nanoTime();
      if (t0 > to && ok + errors >= minAnswers) {
        if (--active == 0) {
          done.complete(Stats.of(hist, ok, (Math.max(to, last) - from) / 1e9, errors));
        }
        return;
      }
      Future<?> f;
      try {
        f = request.apply(sent++);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(
          ar -> {
            long now = System.nanoTime();
            if (measuring(now)) {
              last = now;
              if (ar.succeeded()) {
                ok++;
                hist.recordValue(
                    Math.max(1, Math.min(hist.getHighestTrackableValue(), (now - t0) / 1000)));
              } else {
                if (errors++ == 0) {
                  // the table counts errors; the first one says what they are
                  System.err.println("  first error: " + ar.cause().getMessage());
                }
              }
            }
            next();
          });
    }
  }
}
