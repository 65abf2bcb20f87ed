package dev.denoiser.model.selfsup;

import dev.denoiser.data.VideoFrames;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.OrtModel;
import dev.denoiser.model.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The offline refresh scenario on vtest.avi (768x576, gray): 8-bit clipped Gaussian noise of a
 * fixed sigma with fixed seeds; training frames from the first 600 frames, evaluation frames from
 * the last 150 (clean only to measure). Prints one table row: objective, sigma estimate, training
 * speed, true and gate-estimated PSNR of the serving model and of the candidate.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.denoiser.model.selfsup.RefreshScenario \
 *     OBJECTIVE CLIP STEPS [SIGMA] [TRAIN_EVERY] [EVAL_FRAMES] [LR] [BATCH] [GATE_FRAMES] [ROUNDS]
 *     [RECIPE_FRACTION]
 * </pre>
 */
public final class RefreshScenario {
  static final Path VIDEO = Path.of(".cache/natural/opencv/vtest.avi");
  static final Path SERVING = Path.of("models/natural-gray/model.onnx");

  /** Clean and noisy frames. */
  record Split(List<Frame> trainNoisy, List<Frame> evalNoisy, List<Frame> evalClean) {}

  static Frame noisy(Frame clean, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] c = clean.pixels();
    float[] out = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      double v = Math.rint(c[i] * 255.0 + sigma * SelfSupervisedRefresh.gauss(rng));
      out[i] = (float) (Math.min(255, Math.max(0, v)) / 255.0);
    }
    return new Frame(out, clean.height(), clean.width());
  }

  /** A listener that prints the loss and speed every {@code every} steps on stderr. */
  static TrainListener stepLog(int every) {
    return new TrainListener() {
      @Override
      public void stepDone(int epoch, int step, double loss, double sps) {
        if (step % every == 0) {
          System.err.printf("step %d loss %.6f %.2f steps/s%n", step, loss, sps);
        }
      }
    };
  }

  static Frame toFrame(byte[] b, int h, int w) {
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      f[i] = (b[i] & 0xff) / 255f;
    }
    return new Frame(f, h, w);
  }

  /**
   * Training: every {@code trainEvery}-th of the first 600 frames (noisy); evaluation: {@code
   * evalCount} frames spread over the last 150 (795 in all).
   */
  static Split split(double sigma, int trainEvery, int evalCount) throws Exception {
    List<Frame> train = new ArrayList<>();
    List<Frame> evalN = new ArrayList<>();
    List<Frame> evalC = new ArrayList<>();
    int step = Math.max(1, 150 / evalCount);
    try (VideoFrames v = VideoFrames.open(VIDEO, 768, 576)) {
      byte[] b;
      int k = 0;
      while ((b = v.next()) != null) {
        if (k < 600 && k % trainEvery == 0) {
          train.add(noisy(toFrame(b, 576, 768), sigma, 1000 + k));
        } else if (k >= 645 && (k - 645) % step == 0 && evalC.size() < evalCount) {
          Frame c = toFrame(b, 576, 768);
          evalC.add(c);
          evalN.add(noisy(c, sigma, 1000 + k));
        }
        k++;
      }
    }
    return new Split(train, evalN, evalC);
  }

  public static void main(String[] args) throws Exception {
    Objective obj = Objective.parse(args[0]);
    boolean clip = Boolean.parseBoolean(args[1]);
    int steps = Integer.parseInt(args[2]);
    double sigma = args.length > 3 ? Double.parseDouble(args[3]) : 75;
    int trainEvery = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    int evalCount = args.length > 5 ? Integer.parseInt(args[5]) : 20;
    double lr = args.length > 6 ? Double.parseDouble(args[6]) : 1e-4;
    int batch = args.length > 7 ? Integer.parseInt(args[7]) : 16;
    int gateFrames = args.length > 8 ? Integer.parseInt(args[8]) : 8;
    int rounds = args.length > 9 ? Integer.parseInt(args[9]) : 1;
    double recipe = args.length > 10 ? Double.parseDouble(args[10]) : 0;
    Split s = split(sigma, trainEvery, evalCount);
    RefreshOptions o =
        RefreshOptions.defaults()
            .withObjective(obj, clip)
            .withSteps(steps)
            .withLearningRate(lr, 1e-5)
            .withGateFrames(gateFrames)
            .withBatch(batch, 64)
            .withRounds(rounds, recipe);
    ModelCard card = ModelCard.read(SERVING.resolveSibling(ModelCard.FILE));
    long t0 = System.nanoTime();
    SelfSupervisedRefresh.Result r =
        SelfSupervisedRefresh.run(SERVING, card, s.trainNoisy(), o, RefreshScenario.stepLog(50));
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.println("trained: " + r.trained());
    Path cand = Files.createTempFile("cand", ".onnx");
    Files.write(cand, r.candidateOnnx());
    try (OrtModel serving = new OrtModel(SERVING, 1);
        OrtModel candidate = new OrtModel(cand, 1)) {
      Denoiser sv = Denoiser.of(serving);
      Denoiser cd = Denoiser.of(candidate);
      double ts = ClippedSure.truePsnr(sv, s.evalNoisy(), s.evalClean());
      double tc = ClippedSure.truePsnr(cd, s.evalNoisy(), s.evalClean());
      double es = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), r.sigmaHat(), 5);
      double ec = ClippedSure.estimatePsnr(cd, sv, s.evalNoisy(), r.sigmaHat(), 5);
      double esT = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), sigma, 5);
      double ecT = ClippedSure.estimatePsnr(cd, sv, s.evalNoisy(), sigma, 5);
      double ps = ClippedSure.plainSurePsnr(sv, s.evalNoisy(), sigma, 5);
      double pc = ClippedSure.plainSurePsnr(cd, s.evalNoisy(), sigma, 5);
      System.out.println(
          "| objective | sigma | sigma_hat | steps x batch | patches/s | refresh s "
              + "| true serving | true candidate | gain | gate serving (sigma_hat) | gate candidate (sigma_hat) "
              + "| gate serving (true sigma) | gate candidate (true sigma) | plain SURE serving | plain SURE candidate | gate (held-back) |");
      System.out.printf(
          "| %s | %.0f | %.2f | %dx%d | %.1f | %.0f | %.2f | %.2f | %+.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s %+.2f |%n",
          o.label(),
          sigma,
          r.sigmaHat(),
          steps,
          o.batch(),
          r.patchesPerSecond(),
          trainSeconds,
          ts,
          tc,
          tc - ts,
          es,
          ec,
          esT,
          ecT,
          ps,
          pc,
          r.gate().promote() ? "promote" : "reject",
          r.gate().gainDb());
    } finally {
      Files.deleteIfExists(cand);
    }
  }
}
