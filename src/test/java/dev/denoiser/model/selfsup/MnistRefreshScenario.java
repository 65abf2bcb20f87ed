package dev.denoiser.model.selfsup;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.NoiseEstimate;
import dev.denoiser.frame.TemporalNoiseEstimate;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.OrtModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The self-supervised refresh loop on MNIST: the shipped conv-upsample model serves test digits
 * with Gaussian noise of sigma 0.7 on [0,1] (178.5 on 0-255), clipped and rounded to 8 bits as a
 * camera's feed is. The feed sample is {@code SAMPLE} digits of the test set's first half (every
 * {@code HOLDOUT}-th held back for the gate, as {@code feed.sample.holdoutEvery} does); the true
 * PSNR is measured on {@code EVAL} other digits spread over the second half with their clean
 * versions, never trained on. The options default to what the service uses for a 28x28 feed ({@code
 * trainer.selfsup.*}: bootstrap, 500 steps of 16, learning rate 3e-4 annealed to a thirtieth, a 0.1
 * dB gain to promote; the patch side {@code SelfSupervisedRefreshLearner.patch} picks: the whole
 * 28x28 digit, 12 for Neighbor2Neighbor).
 *
 * <p>Prints what the noise estimates read on the sample, then one table row for the refresh with
 * the estimated sigma and one with the true sigma given, so the gate can be judged apart from the
 * estimate. The true PSNR is the mean per-digit PSNR; at this noise the gate reads the PSNR of the
 * mean MSE ({@link ClippedSure#psnrs}), so that is given too, true and estimated by clipping-aware
 * SURE, on the evaluation digits; the gate's own columns are on the held-back digits.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.denoiser.model.selfsup.MnistRefreshScenario \
 *     [OBJECTIVE] [CLIP] [STEPS] [LR] [BATCH] [PATCH] [SAMPLE] [HOLDOUT] [EVAL] [SIGMA_01]
 * </pre>
 */
public final class MnistRefreshScenario {
  static final Path SERVING = Path.of("models/conv-upsample/model.onnx");

  /** The first digit of the test set's second half. */
  static final int SECOND_HALF = 5000;

  /**
   * The feed sample (train and held-back frames in one list, the held-back last), the held-back
   * digits' clean versions, and the evaluation digits.
   */
  record Split(
      List<Frame> sample,
      int gateFrames,
      List<Frame> gateClean,
      List<Frame> evalNoisy,
      List<Frame> evalClean) {}

  static Frame digit(ImageSet set, int i) {
    return new Frame(set.image(i), set.height(), set.width());
  }

  /**
   * {@code sampleCount} noisy digits 0.. of the test set (every {@code holdoutEvery}-th held back,
   * moved to the end as the service's split does), {@code evalCount} clean and noisy digits spread
   * over 5000-9999; sigma on the 0-255 scale, noise seeds fixed.
   */
  static Split split(
      ImageSet test, double sigma, int sampleCount, int holdoutEvery, int evalCount) {
    if (sampleCount > SECOND_HALF || evalCount > test.count() - SECOND_HALF) {
      throw new IllegalArgumentException("the sample and the evaluation digits must not overlap");
    }
    List<Frame> train = new ArrayList<>();
    List<Frame> gate = new ArrayList<>();
    List<Frame> gateClean = new ArrayList<>();
    for (int i = 0; i < sampleCount; i++) {
      Frame n = RefreshScenario.noisy(digit(test, i), sigma, 7000 + i);
      if (i % holdoutEvery == holdoutEvery - 1) {
        gate.add(n);
        gateClean.add(digit(test, i));
      } else {
        train.add(n);
      }
    }
    List<Frame> sample = new ArrayList<>(train);
    sample.addAll(gate);
    List<Frame> evalN = new ArrayList<>();
    List<Frame> evalC = new ArrayList<>();
    int stride = (test.count() - SECOND_HALF) / evalCount;
    for (int k = 0; k < evalCount; k++) {
      int i = SECOND_HALF + k * stride;
      Frame c = digit(test, i);
      evalC.add(c);
      evalN.add(RefreshScenario.noisy(c, sigma, 7000 + i));
    }
    return new Split(sample, gate.size(), gateClean, evalN, evalC);
  }

  /** What the per-frame and temporal noise estimates read on the training part of the sample. */
  static void printSigmaEstimates(List<Frame> train, double sigma) {
    double[] per = new double[train.size()];
    for (int i = 0; i < per.length; i++) {
      per[i] = NoiseEstimate.sigma(train.get(i));
    }
    double[] sorted = per.clone();
    Arrays.sort(sorted);
    TemporalNoiseEstimate.Result t = TemporalNoiseEstimate.estimate(train);
    SelfSupervisedRefresh.Sigma s = SelfSupervisedRefresh.sigmaOf(train);
    System.out.printf(
        "sigma %.1f: per-frame estimate over %d digits: min %.1f, quartiles %.1f %.1f %.1f, max %.1f;"
            + " median of 8 (estimateSigma) %.1f; temporal %.1f (still cells %.2f, %s); sigmaOf"
            + " %.1f (%s)%n",
        sigma,
        per.length,
        sorted[0],
        sorted[per.length / 4],
        sorted[per.length / 2],
        sorted[3 * per.length / 4],
        sorted[per.length - 1],
        SelfSupervisedRefresh.estimateSigma(train),
        t.sigma(),
        t.stillFraction(),
        t.valid() ? "valid" : "not valid",
        s.value(),
        s.source());
  }

  /** One refresh and its table row. */
  static String row(Split s, RefreshOptions o, double sigma) throws Exception {
    ModelCard card = ModelCard.read(SERVING.resolveSibling(ModelCard.FILE));
    long t0 = System.nanoTime();
    SelfSupervisedRefresh.Result r =
        SelfSupervisedRefresh.run(SERVING, card, s.sample(), o, RefreshScenario.stepLog(100));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path cand = Files.createTempFile("cand", ".onnx");
    Files.write(cand, r.candidateOnnx());
    try (OrtModel serving = new OrtModel(SERVING, 1);
        OrtModel candidate = new OrtModel(cand, 1)) {
      Denoiser sv = Denoiser.of(serving);
      Denoiser cd = Denoiser.of(candidate);
      double ts = ClippedSure.truePsnr(sv, s.evalNoisy(), s.evalClean());
      double tc = ClippedSure.truePsnr(cd, s.evalNoisy(), s.evalClean());
      double[] e =
          ClippedSure.psnrs(
              ClippedSure.estimateMses(sv, sv, s.evalNoisy(), r.sigmaHat(), 5),
              ClippedSure.estimateMses(cd, sv, s.evalNoisy(), r.sigmaHat(), 5));
      double ms = MnistRefreshTest.pooledPsnr(sv, s.evalNoisy(), s.evalClean());
      double mc = MnistRefreshTest.pooledPsnr(cd, s.evalNoisy(), s.evalClean());
      GateReport g = r.gate();
      return String.format(
          "| %s | %.1f | %.1f (%s) | %d x %d of %d^2 | %.0f | %.2f | %.2f | %+.2f "
              + "| %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %s %+.2f |",
          o.label(),
          sigma,
          r.sigmaHat(),
          g.sigmaSource(),
          o.steps(),
          o.batch(),
          o.patch(),
          seconds,
          ts,
          tc,
          tc - ts,
          ms,
          mc,
          e[0],
          e[1],
          g.servingPsnr(),
          g.candidatePsnr(),
          g.promote() ? "promote" : "reject",
          g.gainDb());
    } finally {
      Files.deleteIfExists(cand);
    }
  }

  public static void main(String[] args) throws Exception {
    Objective obj = Objective.parse(args.length > 0 ? args[0] : "bootstrap");
    boolean clip = args.length <= 1 || Boolean.parseBoolean(args[1]);
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    double lr = args.length > 3 ? Double.parseDouble(args[3]) : 3e-4;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    int side = obj == Objective.N2N ? Mnist.SIZE / 2 : Mnist.SIZE;
    int patch = args.length > 5 ? Integer.parseInt(args[5]) : side / 4 * 4;
    int sampleCount = args.length > 6 ? Integer.parseInt(args[6]) : 300;
    int holdoutEvery = args.length > 7 ? Integer.parseInt(args[7]) : 5;
    int evalCount = args.length > 8 ? Integer.parseInt(args[8]) : 500;
    double sigma = 255 * (args.length > 9 ? Double.parseDouble(args[9]) : 0.7);
    ImageSet test = Mnist.locate(null).test();
    Split s = split(test, sigma, sampleCount, holdoutEvery, evalCount);
    printSigmaEstimates(s.sample().subList(0, s.sample().size() - s.gateFrames()), sigma);
    RefreshOptions o =
        new RefreshOptions(
            obj, clip, steps, batch, patch, lr, lr / 30, 1, 1, 0, s.gateFrames(), 0.1);
    System.out.printf(
        "%d digits in the sample (%d held back for the gate), %d evaluation digits%n",
        s.sample().size(), s.gateFrames(), s.evalNoisy().size());
    System.out.println(
        "| objective | sigma | sigma_hat (source) | steps x batch | refresh s | true serving "
            + "| true candidate | true gain | mean-MSE PSNR serving / candidate: true "
            + "| SURE at sigma_hat | gate serving / candidate (held-back) | gate |");
    System.out.println("|---|---:|---|---|---:|---:|---:|---:|---|---|---|---|");
    System.out.println(row(s, o, sigma));
    System.out.println(row(s, o.withSigma(sigma), sigma));
  }
}
