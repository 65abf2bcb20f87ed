package dev.denoiser.model.selfsup;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.TemporalNoiseEstimate;
import dev.denoiser.model.OrtModel;
import java.util.List;

/**
 * The noise estimates of the vtest.avi refresh scenario against the true sigma, and what each does
 * to the gate's absolute PSNR estimate on the evaluation frames. Prints one table row per sigma.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.denoiser.model.selfsup.SigmaScenario \
 *     [TRAIN_EVERY] [EVAL_FRAMES] [SIGMA...]
 * </pre>
 */
public final class SigmaScenario {
  public static void main(String[] args) throws Exception {
    int trainEvery = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int evalCount = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    double[] sigmas = {25, 50, 75};
    if (args.length > 2) {
      sigmas = new double[args.length - 2];
      for (int i = 2; i < args.length; i++) {
        sigmas[i - 2] = Double.parseDouble(args[i]);
      }
    }
    System.out.println(
        "| sigma | frames | per-frame median | temporal | still cells | temporal ms "
            + "| true PSNR | SURE (per-frame) | SURE (temporal) | SURE (true sigma) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    try (OrtModel serving = new OrtModel(RefreshScenario.SERVING, 1)) {
      Denoiser sv = Denoiser.of(serving);
      for (double sigma : sigmas) {
        RefreshScenario.Split s = RefreshScenario.split(sigma, trainEvery, evalCount);
        List<Frame> train = s.trainNoisy();
        double perFrame = SelfSupervisedRefresh.estimateSigma(train);
        long t0 = System.nanoTime();
        TemporalNoiseEstimate.Result t = TemporalNoiseEstimate.estimate(train);
        double ms = (System.nanoTime() - t0) / 1e6;
        for (int cell : new int[] {8, 16}) {
          for (double z : new double[] {3, 2}) {
            TemporalNoiseEstimate.Result v = TemporalNoiseEstimate.estimate(train, cell, z);
            System.err.printf(
                "sigma %.0f cell %d z %.1f: %.3f (still %.3f) SURE %.2f%n",
                sigma,
                cell,
                z,
                v.sigma(),
                v.stillFraction(),
                ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), v.sigma(), 5));
          }
        }
        double truth = ClippedSure.truePsnr(sv, s.evalNoisy(), s.evalClean());
        double ePf = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), perFrame, 5);
        double eT = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), t.sigma(), 5);
        double eTrue = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), sigma, 5);
        System.out.printf(
            "| %.0f | %d | %.2f | %.2f | %.3f | %.0f | %.2f | %.2f | %.2f | %.2f |%n",
            sigma, train.size(), perFrame, t.sigma(), t.stillFraction(), ms, truth, ePf, eT, eTrue);
      }
    }
  }
}
