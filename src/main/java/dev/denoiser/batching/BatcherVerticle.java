package dev.denoiser.batching;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.Addresses;
import dev.denoiser.inference.Batch;
import dev.denoiser.inference.BatchResult;
import dev.denoiser.inference.BusErrors;
import dev.denoiser.inference.InferenceRequest;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.sample.FeedSample;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic batcher: one queue per model, fed by {@link InferenceRequest}s on {@link
 * Addresses#infer(String)}, drained into {@link Batch}es for whichever inference worker is free.
 * Runs on one event loop, so its state needs no locks.
 *
 * <p>A full queue refuses at once with OVERLOADED; a request whose deadline passes while queued
 * fails with DEADLINE_EXCEEDED and never runs; frames of different shapes go in different batches;
 * each item of a batch succeeds or fails on its own. On undeploy it stops taking requests and
 * finishes what is queued before it returns.
 *
 * <p>Every frame served here, from any source, is the one tap of the feed: its noise estimate goes
 * to {@code denoiser_noise_sigma} and the frame is offered to the {@link FeedSample} (which keeps
 * it only for the models {@code feed.sample.models} names).
 */
public final class BatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BatcherVerticle.class);
  private static final long SWEEP_MS = 20;
  private static final long DRAIN_TIMEOUT_MS = 30_000;

  private final ModelRegistry registry;
  private final ServiceMetrics metrics;
  private final BatchPolicy policy;
  private final FeedSample sample;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final ArrayDeque<String> freeWorkers = new ArrayDeque<>();
  private final Set<String> workers = new HashSet<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private int roundRobin;
  private long delayTimer = -1;
  private long sweepTimer = -1;
  private boolean draining;

  private final class Lane {
    final String model;
    final ModelQueue<Message<InferenceRequest>> queue = new ModelQueue<>(policy);
    final ServiceMetrics.PerModel meters;
    int inFlight;

    Lane(String model) {
      this.model = model;
      this.meters = metrics.model(model);
    }
  }

  public BatcherVerticle(ModelRegistry registry, ServiceMetrics metrics, BatchPolicy policy) {
    this(registry, metrics, policy, null);
  }

  /** {@code sample} may be null: no frame is sampled. */
  public BatcherVerticle(
      ModelRegistry registry, ServiceMetrics metrics, BatchPolicy policy, FeedSample sample) {
    this.registry = registry;
    this.metrics = metrics;
    this.policy = policy;
    this.sample = sample;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    consumers.add(
        bus.<String>localConsumer(
            Addresses.WORKER_ANNOUNCE,
            m -> {
              if (workers.add(m.body())) {
                freeWorkers.addLast(m.body());
                schedule();
              }
            }));
    consumers.add(
        bus.<String>localConsumer(
            Addresses.WORKER_RETIRE,
            m -> {
              workers.remove(m.body());
              freeWorkers.remove(m.body());
            }));
    registry.onChange(card -> context.runOnContext(v -> addLane(card.name())));
    registry.cards().keySet().forEach(this::addLane);
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready);
  }

  private void addLane(String model) {
    if (lanes.containsKey(model) || draining) {
      return;
    }
    Lane lane = new Lane(model);
    lanes.put(model, lane);
    metrics.pendingGauge(model, lane.queue::size);
    MessageConsumer<InferenceRequest> c =
        vertx.eventBus().localConsumer(Addresses.infer(model), m -> onRequest(lane, m));
    consumers.add(c);
  }

  private void onRequest(Lane lane, Message<InferenceRequest> msg) {
    if (draining) {
      fail(lane, msg, ErrorCode.SHUTTING_DOWN, "the service is shutting down");
      return;
    }
    long now = System.nanoTime();
    String source = msg.headers().get(InferenceClient.SOURCE_HEADER);
    if (!lane.queue.offer(new ModelQueue.Entry<>(msg, msg.body(), now, source))) {
      fail(
          lane,
          msg,
          ErrorCode.OVERLOADED,
          "model '"
              + lane.model
              + "' has "
              + lane.queue.size()
              + " requests queued, "
              + lane.queue.size(source == null ? BatchPolicy.DEFAULT_SOURCE : source)
              + " of them from this source (batching.queueSize, batching.sourceWeights); retry later");
      return;
    }
    schedule();
  }

  /** Gives free workers batches from the models that are ready, taking models in turn. */
  private void schedule() {
    long now = System.nanoTime();
    while (!freeWorkers.isEmpty()) {
      Lane lane = nextReadyLane(now);
      if (lane == null) {
        break;
      }
      List<ModelQueue.Entry<Message<InferenceRequest>>> entries =
          lane.queue.nextBatch(now, e -> expired(lane, e));
      if (!entries.isEmpty()) {
        dispatch(lane, entries, freeWorkers.pollFirst());
      }
    }
    armDelayTimer(now);
  }

  private Lane nextReadyLane(long now) {
    List<Lane> all = new ArrayList<>(lanes.values());
    for (int i = 0; i < all.size(); i++) {
      Lane l = all.get((roundRobin + i) % all.size());
      if (l.queue.ready(now)) {
        roundRobin = (roundRobin + i + 1) % all.size();
        return l;
      }
    }
    return null;
  }

  private void armDelayTimer(long now) {
    if (policy.maxBatchDelayMicros() == 0 || delayTimer >= 0 || freeWorkers.isEmpty()) {
      return;
    }
    long wait = Long.MAX_VALUE;
    for (Lane l : lanes.values()) {
      long w = l.queue.nanosUntilReady(now);
      if (w >= 0) {
        wait = Math.min(wait, w);
      }
    }
    if (wait != Long.MAX_VALUE) {
      long ms = Math.max(1, (wait + 999_999) / 1_000_000);
      delayTimer =
          vertx.setTimer(
              ms,
              id -> {
                delayTimer = -1;
                schedule();
              });
    }
  }

  private void dispatch(
      Lane lane, List<ModelQueue.Entry<Message<InferenceRequest>>> entries, String worker) {
    List<Frame> frames = new ArrayList<>(entries.size());
    for (ModelQueue.Entry<Message<InferenceRequest>> e : entries) {
      frames.add(e.request().frame());
    }
    lane.inFlight++;
    Batch batch = new Batch(lane.model, List.copyOf(frames), System.nanoTime());
    vertx
        .eventBus()
        .<BatchResult>request(worker, batch, new DeliveryOptions().setSendTimeout(120_000))
        .onComplete(
            ar -> {
              lane.inFlight--;
              if (ar.succeeded()) {
                if (workers.contains(worker)) {
                  freeWorkers.addLast(worker);
                }
                complete(lane, entries, ar.result().body());
              } else if (ar.cause() instanceof ReplyException re
                  && re.failureType() == ReplyFailure.NO_HANDLERS) {
                // The worker left before taking the batch: nothing ran, so queue it again.
                workers.remove(worker);
                freeWorkers.remove(worker);
                lane.queue.requeueFront(entries);
              } else {
                if (workers.contains(worker)) {
                  freeWorkers.addLast(worker);
                }
                LOG.error(
                    "batch of {} for {} failed in worker: {}",
                    entries.size(),
                    lane.model,
                    ar.cause().toString());
                entries.forEach(
                    e ->
                        fail(
                            lane,
                            e.item(),
                            ErrorCode.INTERNAL,
                            "inference failed: " + ar.cause().getMessage()));
              }
              schedule();
            });
  }

  private void complete(
      Lane lane, List<ModelQueue.Entry<Message<InferenceRequest>>> entries, BatchResult r) {
    lane.meters.batch(entries.size(), r.computeNanos());
    long now = System.nanoTime();
    for (int i = 0; i < entries.size(); i++) {
      ModelQueue.Entry<Message<InferenceRequest>> e = entries.get(i);
      if (r.failed(i)) {
        DenoiserException ex = r.errors()[i];
        fail(lane, e.item(), ex.code(), ex.getMessage());
        continue;
      }
      Frame in = e.request().frame();
      long queueNanos = Math.max(0, r.startedNanos() - e.arrivedNanos());
      double sigma = r.noiseSigma(i);
      InferenceResult result =
          new InferenceResult(
              in.withPixels(r.denoised()[i], in.channels()),
              r.latent()[i],
              lane.model,
              r.modelVersion(),
              queueNanos / 1000,
              r.computeNanos() / 1000,
              entries.size(),
              sigma);
      lane.meters.noise(sigma);
      if (sample != null) {
        sample.offer(lane.model, in, sigma);
      }
      lane.meters.succeeded(queueNanos, now - e.arrivedNanos());
      e.item().reply(result);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Lane l : lanes.values()) {
      if (!l.queue.isEmpty()) {
        l.queue.dropExpired(now, e -> expired(l, e));
      }
    }
  }

  private void expired(Lane lane, ModelQueue.Entry<Message<InferenceRequest>> e) {
    long waited = (System.nanoTime() - e.arrivedNanos()) / 1_000_000;
    fail(
        lane,
        e.item(),
        ErrorCode.DEADLINE_EXCEEDED,
        "request waited "
            + waited
            + " ms in the queue of '"
            + lane.model
            + "' and passed its deadline; it was not run");
  }

  private void fail(Lane lane, Message<?> msg, ErrorCode code, String message) {
    lane.meters.failure(code);
    BusErrors.fail(msg, code, message);
  }

  /** Stops taking requests, runs what is queued, then returns (bounded by a timeout). */
  @Override
  public Future<?> stop() {
    draining = true;
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_MS * 1_000_000L;
    waitDrained(drained, deadline);
    return drained
        .future()
        .onComplete(
            v -> {
              vertx.cancelTimer(sweepTimer);
              consumers.forEach(MessageConsumer::unregister);
            });
  }

  private void waitDrained(Promise<Void> done, long deadline) {
    boolean idle = lanes.values().stream().allMatch(l -> l.queue.isEmpty() && l.inFlight == 0);
    if (idle || System.nanoTime() > deadline) {
      for (Lane l : lanes.values()) {
        l.queue
            .drain()
            .forEach(
                e ->
                    fail(
                        l,
                        e.item(),
                        ErrorCode.SHUTTING_DOWN,
                        "the service shut down before this request ran"));
      }
      done.complete();
      return;
    }
    schedule();
    vertx.setTimer(5, id -> waitDrained(done, deadline));
  }
}
