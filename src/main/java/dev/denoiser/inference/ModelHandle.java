package dev.denoiser.inference;

import ai.djl.inference.Predictor;
import ai.djl.Model;
import ai.djl.translate.TranslateException;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of one model: its card and its ONNX Runtime session (a DJL {@link Model}
 * on the OnnxRuntime engine). Reference counted so a hot swap can retire it while batches still run on it:
 * the registry holds one reference, every running batch holds one, and the session closes when the
 * last is released.
 *
 * <p>A DJL {@link Predictor} is not thread-safe, so each concurrent run borrows its own from a
 * small pool.
 */
public final class ModelHandle {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHandle.class);
  private final ModelCard card;
  private final Model model;
  private final FrameBatchTranslator translator;
  private final ConcurrentLinkedQueue<Predictor<List<Frame>, FrameBatchTranslator.Output>> predictors =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger refs = new AtomicInteger(1);

  ModelHandle(ModelCard card, Model model, FrameBatchTranslator translator) {
    this.card = card;
    this.model = model;
    this.translator = translator;
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
    Predictor<List<Frame>, FrameBatchTranslator.Output> p = predictors.poll();
    if (p == null) {
      p = model.newPredictor(translator);
    }
    try {
      FrameBatchTranslator.Output out = p.predict(frames);
      return new float[][][] {out.denoised(), out.latent()};
    } finally {
      predictors.offer(p);
    }
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
