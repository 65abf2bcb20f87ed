package dev.denoiser.inference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of one model: its card and its ONNX Runtime session (a DJL {@link Model} on
 * the OnnxRuntime engine). Reference counted so a hot swap can retire it while batches still run on
 * it: the registry holds one reference, every running batch holds one, and the session closes when
 * the last is released.
 *
 * <p>A DJL {@link Predictor} is not thread-safe, so each concurrent run borrows its own from a
 * small pool.
 */
public final class ModelHandle {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHandle.class);
  private final ModelCard card;
  private final Model model;
  private final FrameBatchTranslator translator;
  private final FrameShaper shaper;
  private final ConcurrentLinkedQueue<
          Predictor<FrameBatchTranslator.Input, FrameBatchTranslator.Output>>
      predictors = new ConcurrentLinkedQueue<>();
  private final AtomicInteger refs = new AtomicInteger(1);

  ModelHandle(
      ModelCard card, Model model, FrameBatchTranslator translator, FrameShaper.Tiling tiling) {
    this.card = card;
    this.model = model;
    this.translator = translator;
    this.shaper = new FrameShaper(card, tiling);
  }

  public ModelCard card() {
    return card;
  }

  public String name() {
    return card.name();
  }

  public long version() {
    return card.version();
  }

  /** Takes a reference; false when the handle is already closed. */
  boolean tryAcquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one closes the session. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      closeNow();
    }
  }

  public boolean closed() {
    return refs.get() <= 0;
  }

  /**
   * Runs one batch of same-shape frames in ONE ONNX Runtime call. Caller holds a reference.
   *
   * @return per-frame denoised pixels and latent codes
   */
  public float[][][] run(List<Frame> frames) throws TranslateException {
    FrameShaper.Plan plan = shaper.plan(frames);
    int total = plan.pieces().size();
    int step = shaper.piecesPerRun(plan);
    float[][] den = new float[total][];
    float[][] lat = new float[total][];
    Predictor<FrameBatchTranslator.Input, FrameBatchTranslator.Output> p = predictors.poll();
    if (p == null) {
      p = model.newPredictor(translator);
    }
    try {
      for (int from = 0; from < total; from += step) {
        int to = Math.min(total, from + step);
        FrameBatchTranslator.Output out =
            p.predict(
                new FrameBatchTranslator.Input(
                    plan.pieces(), from, to, plan.channels(), plan.height(), plan.width()));
        System.arraycopy(out.denoised(), 0, den, from, to - from);
        System.arraycopy(out.latent(), 0, lat, from, to - from);
      }
    } finally {
      predictors.offer(p);
    }
    return shaper.assemble(plan, den, lat);
  }

  private void closeNow() {
    Predictor<?, ?> p;
    while ((p = predictors.poll()) != null) {
      p.close();
    }
    model.close();
    LOG.info("closed model {} version {}", card.name(), card.version());
  }
}
