package dev.denoiser.trainer;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * One training run: its id, model, trigger and parameters; its progress while it trains (epoch,
 * step, loss, images/s), updated from the training thread; and its outcome (promoted, rejected or
 * failed, with the gate's scores and the candidate's version). Read from any thread through {@link
 * #toJson()}, the body of {@code GET /v1/admin/runs/{id}}.
 */
public final class TrainingRun {
  /** Where a run is. The last four are final. */
  public enum State {
    QUEUED,
    RUNNING,
    PROMOTED,
    REJECTED,
    FAILED,
    CANCELLED;

    public boolean done() {
      return this == PROMOTED || this == REJECTED || this == FAILED || this == CANCELLED;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String id;
  private final String model;
  private final String trigger;
  private final TrainParams params;
  private final Instant submitted = Instant.now();
  private State state = State.QUEUED;
  private String phase = "queued";
  private Instant started;
  private Instant finished;
  private int epoch;
  private int epochs;
  private int step;
  private int steps;
  private double loss = Double.NaN;
  private double imagesPerSecond;
  private JsonObject result = new JsonObject();
  private volatile boolean cancelled;
  private volatile String cancelReason;

  public TrainingRun(String id, String model, String trigger, TrainParams params) {
    this.id = id;
    this.model = model;
    this.trigger = trigger;
    this.params = params;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  public String trigger() {
    return trigger;
  }

  public TrainParams params() {
    return params;
  }

  public synchronized State state() {
    return state;
  }

  synchronized void start() {
    state = State.RUNNING;
    phase = "starting";
    started = Instant.now();
  }

  /**
   * What the run is doing now: loading data, training, exporting, validating, publishing.
   *
   * @throws CancellationException when the run was cancelled: it stops between phases too
   */
  void phase(String p) {
    if (cancelled) {
      throw new CancellationException("run " + id + " cancelled");
    }
    synchronized (this) {
      phase = p;
    }
  }

  synchronized void progress(int epoch, int epochs, int step, int steps, double loss, double ips) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.step = step;
    this.steps = steps;
    this.loss = loss;
    this.imagesPerSecond = ips;
  }

  /** Ends the run in {@code s} with the result JSON (scores, version, reason). */
  synchronized void finish(State s, JsonObject outcome) {
    state = s;
    phase = s.label();
    finished = Instant.now();
    result = outcome == null ? new JsonObject() : outcome.copy();
  }

  /** Asks the training loop to stop at its next step (shutdown). */
  void cancel() {
    cancelled = true;
  }

  /**
   * Asks the run to stop at its next step (the training loop checks between batches) and to end as
   * {@code cancelled} with {@code reason}, not as failed.
   */
  void cancel(String reason) {
    cancelReason = reason;
    cancelled = true;
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Why a user cancelled the run; null when nobody did (a shutdown cancels without a reason). */
  String cancelReason() {
    return cancelReason;
  }

  public synchronized JsonObject result() {
    return result.copy();
  }

  public synchronized JsonObject toJson() {
    JsonObject progress =
        new JsonObject()
            .put("phase", phase)
            .put("epoch", epoch)
            .put("epochs", epochs)
            .put("step", step)
            .put("steps", steps)
            .put("loss", Double.isFinite(loss) ? loss : null)
            .put("imagesPerSecond", Math.round(imagesPerSecond * 10) / 10.0);
    return new JsonObject()
        .put("id", id)
        .put("model", model)
        .put("trigger", trigger)
        .put("state", state.label())
        .put("params", params.toJson())
        .put("submitted", submitted.toString())
        .put("started", started == null ? null : started.toString())
        .put("finished", finished == null ? null : finished.toString())
        .put("progress", progress)
        .put("result", result.copy())
        .put("cancelRequested", cancelled && !state.done());
  }
}
