package dev.denoiser.trainer;

import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.selfsup.Objective;
import dev.denoiser.model.selfsup.RefreshOptions;
import dev.denoiser.model.selfsup.SelfSupervisedRefresh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning step of self-supervised runs on {@link SelfSupervisedRefresh}: the run's steps,
 * batch size, learning rate and seed, the configured objective (clipping-aware), patches as large
 * as the frames allow (up to 64 pixels, {@link #patch}), and the gate's minimum gain.
 */
final class SelfSupervisedRefreshLearner implements SelfSupervisedLearner {
  private final Objective objective;
  private final double minGainDb;
  private final int threads;

  SelfSupervisedRefreshLearner(String objective, double minGainDb, int threads) {
    this.objective = Objective.parse(objective);
    this.minGainDb = minGainDb;
    this.threads = threads;
  }

  /**
   * The patch side: 64, or the largest multiple of 4 that fits in the smallest frame side, twice
   * for Neighbor2Neighbor (it halves patches of twice the side). So the bootstrap and R2R train a
   * 28x28 digit whole: 12x12 crops cut across strokes the network had only seen whole, on a black
   * ground, and the refresh lost far more on them (docs/refresh.md, "The MNIST loop").
   */
  static int patch(List<Frame> frames, Objective objective) {
    int side = frames.stream().mapToInt(f -> Math.min(f.height(), f.width())).min().orElse(0);
    int fit = objective == Objective.N2N ? side / 2 : side;
    return Math.min(64, fit / 4 * 4);
  }

  @Override
  public Outcome learn(
      byte[] servingOnnx, List<Frame> train, List<Frame> gate, TrainParams p, RunProgress progress)
      throws Exception {
    List<Frame> all = new ArrayList<>(train);
    all.addAll(gate);
    int patch = patch(all, objective);
    if (patch < 8) {
      throw new IllegalArgumentException(
          "sampled frames are too small for a self-supervised "
              + objective.id()
              + " refresh: it needs at least "
              + (objective == Objective.N2N ? "16x16" : "8x8")
              + " pixels");
    }
    double lr = p.learningRate();
    RefreshOptions o =
        new RefreshOptions(
            objective,
            true,
            p.steps(),
            p.batchSize(),
            patch,
            lr,
            lr / 30,
            threads,
            p.seed(),
            0,
            gate.size(),
            minGainDb);
    Path serving = Files.createTempFile("denoiser-selfsup-serving-", ".onnx");
    try {
      Files.write(serving, servingOnnx);
      SelfSupervisedRefresh.Result r =
          SelfSupervisedRefresh.run(serving, card(serving), all, o, progress);
      return new Outcome(
          r.candidateOnnx(),
          r.sigmaHat(),
          r.gate().servingPsnr(),
          r.gate().candidatePsnr(),
          r.seconds(),
          r.gate().promote(),
          r.gate()
              .toJson()
              .put("objective", o.label())
              .put("trained", r.trained())
              .put("patch", patch)
              .put("steps", o.steps())
              .put("batch", o.batch()));
    } finally {
      Files.deleteIfExists(serving);
    }
  }

  private static ModelCard card(Path onnx) {
    // The refresh reads the network from the ONNX file; the card only names it.
    return new ModelCard("serving", "onnx", 0, null, 0, 0, 1, 0, null);
  }
}
