package dev.denoiser.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.denoiser.data.ImageSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a denoising autoencoder with DJL on the PyTorch engine: input = clean + noise, target =
 * clean, loss = binary cross-entropy on the logits (plus KL for the VAE) or minus the mean
 * per-image PSNR ({@link TrainConfig.Loss}), Adam (learning rate constant or cosine-annealed over
 * the whole run, see {@link TrainConfig}). Runs are reproducible: initialisation, shuffling, noise
 * and VAE sampling all come from generators seeded by the config's seed and the epoch, and the
 * thread count is fixed. With a checkpoint path, the state is saved after every epoch and a run
 * resumes from it when it exists.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Steps averaged into one point of the loss curve. */
  static final int CURVE_EVERY = 50;

  /** A trained model with its loss history and the measured training speed. */
  public record Result(
      NetModel model,
      TrainConfig config,
      List<Double> epochLoss,
      List<Double> curve,
      double imagesPerSecond,
      long images,
      double seconds) {}

  private Trainer() {}

  /** Trains from scratch (or from the checkpoint if there is one); checkpoint may be null. */
  public static Result train(
      NetSpec spec, TrainConfig cfg, ImageSet data, TrainListener listener, Path checkpoint) {
    return train(spec, null, cfg, data, listener, checkpoint);
  }

  /**
   * Trains starting from {@code initial} weights (fine-tuning; null = fresh init from the seed). A
   * checkpoint file that exists takes precedence over both.
   */
  public static Result train(
      NetSpec spec,
      Weights initial,
      TrainConfig cfg,
      ImageSet data,
      TrainListener listener,
      Path checkpoint) {
    Architecture arch = spec.arch();
    if (!arch.fullyConvolutional() && (data.height() != 28 || data.width() != 28)) {
      throw new ModelException(
          arch.name() + " trains on 28x28 images, got " + data.height() + "x" + data.width());
    }
    if (arch.residual() && cfg.loss() == TrainConfig.Loss.BCE) {
      throw new ModelException(arch.name() + " trains with the mse or psnr loss");
    }
    if (!arch.residual() && cfg.loss() == TrainConfig.Loss.MSE) {
      throw new ModelException("the mse loss is for residual architectures, not " + arch.name());
    }
    if (spec.channels() != data.channels()) {
      throw new ModelException(
          "a "
              + spec.channels()
              + "-channel network cannot train on "
              + data.channels()
              + "-channel images");
    }
    if (cfg.loss() == TrainConfig.Loss.PSNR && arch.variational()) {
      throw new ModelException(
          "the psnr loss is for plain autoencoders; train "
              + arch.name()
              + " with bce (its KL term is weighed against a cross-entropy)");
    }
    Torch.threads(cfg.threads());
    Torch.noGradOnThisThread();
    int n = cfg.limit() > 0 ? Math.min(cfg.limit(), data.count()) : data.count();
    int start = 0;
    long priorImages = 0;
    long priorNanos = 0;
    List<Double> epochLoss = new ArrayList<>();
    List<Double> curve = new ArrayList<>();
    NetModel model;
    Adam adam;
    Checkpoint ck =
        checkpoint != null && Files.exists(checkpoint) ? Checkpoint.read(checkpoint) : null;
    if (ck != null) {
      if (!ck.spec().equals(spec)) {
        throw new ModelException(
            "checkpoint "
                + checkpoint
                + " is for "
                + ck.spec()
                + ", not "
                + spec
                + "; delete it or train that network");
      }
      model = NetModel.of(spec, ck.params());
      adam = new Adam(model.params(), model.manager(), cfg.learningRate());
      adam.restore(ck.adamSteps(), ck.moment1(), ck.moment2());
      start = ck.epochsDone();
      epochLoss.addAll(ck.epochLoss());
      curve.addAll(ck.curve());
      priorImages = ck.images();
      priorNanos = (long) (ck.seconds() * 1e9);
      LOG.info("resuming {} from {} after epoch {}", spec.architecture(), checkpoint, start);
    } else {
      model = initial == null ? NetModel.init(spec, cfg.seed()) : NetModel.of(spec, initial);
      adam = new Adam(model.params(), model.manager(), cfg.learningRate());
    }
    long images = 0;
    long nanos = 0;
    try {
      for (int epoch = start; epoch < cfg.epochs(); epoch++) {
        EpochRun run = new EpochRun(model, adam, cfg, data, n, epoch, listener);
        run.run();
        images += run.images;
        nanos += run.nanos;
        epochLoss.add(run.meanLoss());
        curve.addAll(run.curve);
        double speed = run.images / (run.nanos / 1e9);
        listener.epochDone(epoch, run.meanLoss(), speed);
        LOG.debug("epoch {} loss {} at {} images/s", epoch + 1, run.meanLoss(), speed);
        if (checkpoint != null) {
          new Checkpoint(
                  spec,
                  cfg,
                  epoch + 1,
                  adam.steps(),
                  model.weights(),
                  toWeights(adam.firstMoments()),
                  toWeights(adam.secondMoments()),
                  epochLoss,
                  curve,
                  priorImages + images,
                  (priorNanos + nanos) / 1e9)
              .write(checkpoint);
        }
      }
    } catch (IOException e) {
      model.close();
      throw new ModelException("cannot write checkpoint " + checkpoint + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    // A run resumed from a finished checkpoint trained nothing itself: report the earlier speed.
    long allImages = images > 0 ? images : priorImages;
    double seconds = (images > 0 ? nanos : priorNanos) / 1e9;
    return new Result(
        model, cfg, epochLoss, curve, seconds > 0 ? allImages / seconds : 0, allImages, seconds);
  }

  /**
   * One step of an objective that builds its own batch (a self-supervised loss): draws its inputs
   * into {@code scope}, runs them through {@code net} (the network's unclipped output for a
   * residual architecture, the sigmoid of its logits otherwise) and returns the scalar loss to
   * minimise.
   */
  public interface StepLoss {
    NDArray loss(NDManager scope, java.util.function.UnaryOperator<NDArray> net, long step);
  }

  /**
   * Fine-tunes {@code initial} weights for {@code steps} steps of {@code objective} with Adam at
   * {@code cfg}'s learning rate (cosine-annealed to its final rate over the steps) and thread
   * count. The listener sees one epoch of {@code steps} steps; its speed is in steps per second.
   */
  public static Result fineTune(
      NetSpec spec,
      Weights initial,
      TrainConfig cfg,
      long steps,
      StepLoss objective,
      TrainListener listener) {
    Torch.threads(cfg.threads());
    Torch.noGradOnThisThread();
    NetModel model = NetModel.of(spec, initial);
    Adam adam = new Adam(model.params(), model.manager(), cfg.learningRate());
    List<Double> curve = new ArrayList<>();
    double sum = 0;
    double window = 0;
    int inWindow = 0;
    long t0 = System.nanoTime();
    try {
      listener.epochStarted(0, 1, (int) steps);
      for (long s = 0; s < steps; s++) {
        double value;
        try (NDManager sub = model.manager().newSubManager()) {
          NDArray loss;
          try (GradientCollector gc = model.gradients()) {
            loss = objective.loss(sub, x -> output(model, x), s);
            gc.backward(loss);
          }
          value = loss.getFloat();
          if (!Double.isFinite(value)) {
            throw new ModelException(
                "training diverged (loss "
                    + value
                    + ") at step "
                    + (s + 1)
                    + "; lower the learning rate");
          }
          adam.step(cfg.learningRateAt(s, steps));
        }
        sum += value;
        window += value;
        if (++inWindow == CURVE_EVERY || s == steps - 1) {
          curve.add(window / inWindow);
          window = 0;
          inWindow = 0;
        }
        listener.stepDone(0, (int) s, value, (s + 1) / ((System.nanoTime() - t0) / 1e9));
      }
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double mean = steps == 0 ? Double.NaN : sum / steps;
    listener.epochDone(0, mean, steps / seconds);
    return new Result(model, cfg, List.of(mean), curve, steps / seconds, steps, seconds);
  }

  private static NDArray output(NetModel model, NDArray x) {
    NDArray logits = model.forward(x, null).logits();
    return model.arch().residual() ? logits : logits.getNDArrayInternal().sigmoid();
  }

  private static Weights toWeights(java.util.Map<String, NDArray> arrays) {
    Weights w = new Weights();
    arrays.forEach((k, v) -> w.put(k, v.getShape().getShape(), v.toFloatArray()));
    return w;
  }

  /** Floor of the per-image MSE in the PSNR loss: caps one image's PSNR at 50 dB. */
  static final float PSNR_FLOOR = 1e-5f;

  /** The loss of one batch under {@code cfg}'s objective. */
  static NDArray loss(
      Architecture.Result<NDArray> r,
      NDArray target,
      boolean vae,
      boolean residual,
      TrainConfig cfg) {
    if (cfg.loss() == TrainConfig.Loss.MSE) {
      return r.logits().sub(target).square().mean();
    }
    if (cfg.loss() == TrainConfig.Loss.PSNR) {
      return residual ? psnrLossOfImages(r.logits(), target) : psnrLoss(r.logits(), target);
    }
    return loss(r, target, vae, cfg.klWeight());
  }

  /**
   * Minus the mean per-image PSNR (dB, peak 1) of sigmoid(logits) against target: 10 log10 of each
   * image's MSE, averaged over the batch.
   */
  static NDArray psnrLoss(NDArray logits, NDArray target) {
    NDArray err = logits.getNDArrayInternal().sigmoid().sub(target);
    NDArray mse = err.square().reshape(err.getShape().get(0), -1).mean(new int[] {1});
    return mse.add(PSNR_FLOOR).log().mean().mul((float) (10 / Math.log(10)));
  }

  /**
   * Floor of the per-image MSE in the residual PSNR loss: 40 dB, so nearly noiseless patches (sigma
   * below about 4 on 0-255), which a residual network passes through anyway, do not take the
   * gradient over.
   */
  static final float IMAGE_PSNR_FLOOR = 1e-4f;

  /**
   * Minus the mean per-image PSNR of images already in [0, 1] (a residual network's unclipped
   * output). Each image's gradient is weighed by one over its MSE, so a patch at sigma 15 counts as
   * much as one at sigma 50, where the plain MSE lets the noisiest patches dominate.
   */
  static NDArray psnrLossOfImages(NDArray images, NDArray target) {
    NDArray err = images.sub(target);
    NDArray mse = err.square().reshape(err.getShape().get(0), -1).mean(new int[] {1});
    return mse.add(IMAGE_PSNR_FLOOR).log().mean().mul((float) (10 / Math.log(10)));
  }

  /** The loss of one batch: mean per-pixel BCE, or per-image BCE + KL for the VAE. */
  static NDArray loss(Architecture.Result<NDArray> r, NDArray target, boolean vae, double kl) {
    NDArray z = r.logits();
    NDArray bce = z.getNDArrayInternal().softPlus().sub(z.mul(target));
    if (!vae) {
      return bce.mean();
    }
    long batch = target.getShape().get(0);
    NDArray mu = r.mu();
    NDArray lv = r.logvar();
    NDArray klTerm = mu.square().add(lv.exp()).sub(lv).sub(1f).sum().mul((float) (0.5 * kl));
    return bce.sum().add(klTerm).div((float) batch);
  }

  /** One pass over the (shuffled) training images. */
  private static final class EpochRun {
    final NetModel model;
    final Adam adam;
    final TrainConfig cfg;
    final ImageSet data;
    final int n;
    final int epoch;
    final TrainListener listener;
    final int stepsPerEpoch;
    final List<Double> curve = new ArrayList<>();
    long images;
    long nanos;
    double lossSum;
    int steps;

    EpochRun(
        NetModel model,
        Adam adam,
        TrainConfig cfg,
        ImageSet data,
        int n,
        int epoch,
        TrainListener listener) {
      this.model = model;
      this.adam = adam;
      this.cfg = cfg;
      this.data = data;
      this.n = n;
      this.epoch = epoch;
      this.listener = listener;
      this.stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
    }

    double meanLoss() {
      return steps == 0 ? Double.NaN : lossSum / steps;
    }

    void run() {
      int[] order = permutation(n, new SplittableRandom(mix(cfg.seed(), epoch, 1)));
      SplittableRandom noiseRng = new SplittableRandom(mix(cfg.seed(), epoch, 2));
      SplittableRandom sampler =
          model.arch().variational() ? new SplittableRandom(mix(cfg.seed(), epoch, 3)) : null;
      int bs = cfg.batchSize();
      int total = (n + bs - 1) / bs;
      int px = data.pixelsPerImage();
      listener.epochStarted(epoch, cfg.epochs(), total);
      double window = 0;
      int inWindow = 0;
      long t0 = System.nanoTime();
      for (int s = 0; s < total; s++) {
        int from = s * bs;
        int b = Math.min(bs, n - from);
        float[] clean = new float[b * px];
        float[] noisy = new float[b * px];
        for (int i = 0; i < b; i++) {
          data.copyInto(order[from + i], clean, i * px);
        }
        cfg.noise().applyImages(clean, noisy, b, px, noiseRng);
        double l = step(clean, noisy, b, sampler);
        lossSum += l;
        steps++;
        images += b;
        window += l;
        if (++inWindow == CURVE_EVERY || s == total - 1) {
          curve.add(window / inWindow);
          window = 0;
          inWindow = 0;
        }
        nanos = System.nanoTime() - t0;
        listener.stepDone(epoch, s, l, images / (nanos / 1e9));
      }
    }

    double step(float[] clean, float[] noisy, int b, SplittableRandom sampler) {
      Shape shape = new Shape(b, data.channels(), data.height(), data.width());
      try (NDManager sub = model.manager().newSubManager()) {
        NDArray x = sub.create(noisy, shape);
        NDArray t = sub.create(clean, shape);
        NDArray loss;
        try (GradientCollector gc = model.gradients()) {
          Architecture.Result<NDArray> r = model.forward(x, sampler);
          loss = loss(r, t, model.arch().variational(), model.arch().residual(), cfg);
          gc.backward(loss);
        }
        double value = loss.getFloat();
        if (!Double.isFinite(value)) {
          throw new ModelException(
              "training diverged (loss "
                  + value
                  + ") in epoch "
                  + (epoch + 1)
                  + "; lower the learning rate");
        }
        adam.step(cfg.learningRateAt(adam.steps(), (long) cfg.epochs() * stepsPerEpoch));
        return value;
      }
    }
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static long mix(long seed, int epoch, int stream) {
    long h =
        seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
