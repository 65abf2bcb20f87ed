package dev.denoiser.inference;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inference worker: deploy it with {@code ThreadingModel.WORKER}, as many instances as {@code
 * inference.instances}. Each instance takes one {@link Batch} at a time on its private address
 * (announced to the batcher), runs it in ONE ONNX Runtime call on the model's current version, and
 * replies a {@link BatchResult} tagged with that version and the noise estimate of each input frame
 * ({@link FrameNoise}).
 *
 * <p>If the batched run fails, the frames are run one by one so that one bad frame fails alone.
 */
public final class InferenceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);
  private final ModelRegistry registry;
  private final String address = "denoiser.worker." + UUID.randomUUID();
  private MessageConsumer<Batch> consumer;

  public InferenceVerticle(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(address, this::onBatch);
    return consumer
        .completion()
        .onSuccess(v -> vertx.eventBus().send(Addresses.WORKER_ANNOUNCE, address));
  }

  @Override
  public Future<?> stop() {
    vertx.eventBus().send(Addresses.WORKER_RETIRE, address);
    return consumer.unregister();
  }

  private void onBatch(Message<Batch> msg) {
    msg.reply(run(registry, msg.body()));
  }

  /** Runs a batch on the current version of its model; never throws. */
  static BatchResult run(ModelRegistry registry, Batch batch) {
    int n = batch.size();
    long started = System.nanoTime();
    ModelHandle h;
    try {
      h = registry.acquire(batch.model());
    } catch (DenoiserException e) {
      DenoiserException[] errors = new DenoiserException[n];
      Arrays.fill(errors, e);
      return new BatchResult(batch.model(), 0, null, null, errors, 0, started, null);
    }
    try {
      float[][][] out = h.run(batch.frames());
      long compute = System.nanoTime() - started;
      return new BatchResult(
          batch.model(), h.version(), out[0], out[1], null, compute, started, sigmas(batch));
    } catch (Exception batchFailure) {
      if (n == 1) {
        LOG.warn(
            "inference failed for {} frame of {}: {}",
            batch.model(),
            batch.frames().get(0),
            batchFailure.toString());
        return new BatchResult(
            batch.model(),
            h.version(),
            new float[1][],
            new float[1][],
            new DenoiserException[] {internal(batchFailure)},
            System.nanoTime() - started,
            started,
            null);
      }
      return oneByOne(h, batch, started);
    } finally {
      h.release();
    }
  }

  private static BatchResult oneByOne(ModelHandle h, Batch batch, long started) {
    int n = batch.size();
    float[][] den = new float[n][];
    float[][] lat = new float[n][];
    DenoiserException[] errors = new DenoiserException[n];
    for (int i = 0; i < n; i++) {
      Frame f = batch.frames().get(i);
      try {
        float[][][] out = h.run(List.of(f));
        den[i] = out[0][0];
        lat[i] = out[1][0];
      } catch (Exception e) {
        LOG.warn("inference failed for {} frame {}: {}", batch.model(), f, e.toString());
        errors[i] = internal(e);
      }
    }
    long compute = System.nanoTime() - started;
    return new BatchResult(
        batch.model(), h.version(), den, lat, errors, compute, started, sigmas(batch));
  }

  /**
   * The noise estimate of every input frame (after the run, so it adds no latency to compute time).
   */
  static double[] sigmas(Batch batch) {
    double[] s = new double[batch.size()];
    for (int i = 0; i < s.length; i++) {
      try {
        s[i] = FrameNoise.sigma(batch.frames().get(i));
      } catch (RuntimeException e) {
        s[i] = Double.NaN;
      }
    }
    return s;
  }

  private static DenoiserException internal(Exception e) {
    String m =
        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n", 2)[0];
    return new DenoiserException(ErrorCode.INTERNAL, "inference failed: " + m);
  }
}
