package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trainer's runs: a queue of at most {@code queueSize} runs waiting behind the one running (a
 * further submission is refused with {@code TRAINER_BUSY}), and the history of the last {@link
 * #HISTORY} runs by id. Thread-safe: triggers submit from event loops and the Kafka thread, the
 * trainer takes runs on its worker.
 */
public final class RunBook {
  static final int HISTORY = 200;
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private final int queueSize;
  private final Deque<TrainingRun> queue = new ArrayDeque<>();
  private final Map<String, TrainingRun> runs = new LinkedHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final List<Runnable> listeners = new ArrayList<>();
  private TrainingRun running;

  public RunBook(int queueSize) {
    this.queueSize = Math.max(0, queueSize);
  }

  /** Called after every accepted submission (on the submitting thread). */
  public synchronized void onSubmit(Runnable r) {
    listeners.add(r);
  }

  /**
   * Queues a run of {@code model}.
   *
   * @throws DenoiserException TRAINER_BUSY when the queue is full
   */
  public TrainingRun submit(String model, TrainParams params, String trigger) {
    TrainingRun run;
    List<Runnable> notify;
    synchronized (this) {
      if (queue.size() + (running == null ? 0 : 1) > queueSize) {
        throw new DenoiserException(
            ErrorCode.TRAINER_BUSY,
            "the trainer is busy: "
                + (running == null ? "" : "run " + running.id() + " is running and ")
                + queue.size()
                + " wait (trainer.queueSize "
                + queueSize
                + "); try again later");
      }
      String id = ZonedDateTime.now(ZoneOffset.UTC).format(ID_TIME) + "-" + seq.incrementAndGet();
      run = new TrainingRun(id, model, trigger, params);
      queue.addLast(run);
      runs.put(id, run);
      while (runs.size() > HISTORY) {
        runs.remove(runs.keySet().iterator().next());
      }
      notify = List.copyOf(listeners);
    }
    notify.forEach(Runnable::run);
    return run;
  }

  /** True when a run of {@code model} is queued or running (the schedule skips it then). */
  public synchronized boolean pending(String model) {
    return (running != null && running.model().equals(model))
        || queue.stream().anyMatch(r -> r.model().equals(model));
  }

  /** Takes the next queued run and marks it running; null when one runs already or none waits. */
  synchronized TrainingRun next() {
    if (running != null || queue.isEmpty()) {
      return null;
    }
    running = queue.pollFirst();
    running.start();
    return running;
  }

  /** The running run is over (whatever its outcome). */
  synchronized void done(TrainingRun run) {
    if (running == run) {
      running = null;
    }
  }

  synchronized TrainingRun running() {
    return running;
  }

  /**
   * Cancels run {@code id}: a queued run leaves the queue and ends {@code cancelled} at once; the
   * running one is asked to stop at its next training step and ends {@code cancelled} then; a run
   * that is over stays as it is. Returns the run.
   *
   * @throws DenoiserException RUN_NOT_FOUND
   */
  public synchronized TrainingRun cancel(String id, String reason) {
    TrainingRun r = get(id);
    if (queue.remove(r)) {
      r.cancel(reason);
      r.finish(
          TrainingRun.State.CANCELLED, new io.vertx.core.json.JsonObject().put("reason", reason));
    } else if (r == running) {
      r.cancel(reason);
    }
    return r;
  }

  /** Drops the queued runs (shutdown), marking them failed. */
  synchronized List<TrainingRun> drainQueue() {
    List<TrainingRun> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  /**
   * @throws DenoiserException RUN_NOT_FOUND
   */
  public synchronized TrainingRun get(String id) {
    TrainingRun r = runs.get(id);
    if (r == null) {
      throw new DenoiserException(ErrorCode.RUN_NOT_FOUND, "no training run '" + id + "'");
    }
    return r;
  }

  /** Every run kept, newest first. */
  public synchronized List<TrainingRun> list() {
    List<TrainingRun> out = new ArrayList<>(runs.values());
    java.util.Collections.reverse(out);
    return out;
  }
}
