package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer role: takes runs from the {@link RunBook} one at a time and runs each as a {@link
 * RefreshJob} on a dedicated one-thread {@link WorkerExecutor} (never on an event loop); queues a
 * run of each of {@code trainer.models} every {@code trainer.schedule} (skipping a model whose run
 * is still pending); starts the Kafka {@link TrainerInputs} when there are any. On undeploy the
 * queued runs fail as cancelled and the running one stops at its next step.
 */
public final class TrainerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerVerticle.class);
  private final Triggers triggers;
  private final RefreshJob job;
  private final Duration schedule;
  private final List<String> scheduled;
  private final TrainerInputs inputs;
  private final Runnable onStop;
  private WorkerExecutor executor;
  private long timer = -1;
  private boolean stopping;
  private TrainingRun current;
  private Promise<Void> currentDone;

  /** {@code inputs} may be null (no Kafka); {@code onStop} closes what the role opened. */
  TrainerVerticle(
      Triggers triggers,
      RefreshJob job,
      Duration schedule,
      List<String> scheduled,
      TrainerInputs inputs,
      Runnable onStop) {
    this.triggers = triggers;
    this.job = job;
    this.schedule = schedule;
    this.scheduled = List.copyOf(scheduled);
    this.inputs = inputs;
    this.onStop = onStop;
  }

  @Override
  public Future<?> start() {
    executor = vertx.createSharedWorkerExecutor("denoiser-trainer", 1, 7, TimeUnit.DAYS);
    triggers.book().onSubmit(() -> context.runOnContext(v -> pump()));
    if (schedule != null) {
      timer = vertx.setPeriodic(schedule.toMillis(), id -> tick());
      LOG.info("trainer: scheduled runs of {} every {}", scheduled, schedule);
    }
    if (inputs != null) {
      inputs.startThread();
    }
    pump();
    return Future.succeededFuture();
  }

  private void tick() {
    for (String model : scheduled) {
      if (triggers.book().pending(model)) {
        LOG.info("trainer: scheduled run of {} skipped, one is still pending", model);
        continue;
      }
      vertx
          .executeBlocking(() -> triggers.submit(model, null, "schedule"))
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  LOG.warn(
                      "trainer: scheduled run of {} not queued: {}",
                      model,
                      ar.cause() instanceof DenoiserException de
                          ? de.getMessage()
                          : ar.cause().toString());
                }
              });
    }
  }

  private void pump() {
    if (stopping || current != null) {
      return;
    }
    TrainingRun run = triggers.book().next();
    if (run == null) {
      return;
    }
    current = run;
    currentDone = Promise.promise();
    executor
        .executeBlocking(
            () -> {
              job.run(run);
              return null;
            },
            false)
        .onComplete(
            ar -> {
              triggers.book().done(run);
              current = null;
              currentDone.complete();
              pump();
            });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    for (TrainingRun r : triggers.book().drainQueue()) {
      r.finish(
          TrainingRun.State.FAILED,
          new JsonObject().put("error", "cancelled: the trainer stopped"));
    }
    Future<Void> running = Future.succeededFuture();
    if (current != null) {
      current.cancel();
      running = currentDone.future();
    }
    Future<Void> in = inputs == null ? Future.succeededFuture() : inputs.stop(vertx);
    return Future.all(running, in)
        .eventually(
            () -> {
              executor.close();
              return vertx.executeBlocking(
                  () -> {
                    onStop.run();
                    return null;
                  });
            });
  }
}
