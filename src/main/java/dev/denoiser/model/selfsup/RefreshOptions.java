package dev.denoiser.model.selfsup;

/**
 * How to refresh: the {@code objective}, whether its loss models the clipping of an 8-bit feed
 * ({@code clipAware}), {@code steps} Adam steps of {@code batch} patches of {@code patch} pixels
 * (the network's input size; Neighbor2Neighbor cuts patches twice as large and halves them),
 * learning rate {@code learningRate} cosine-annealed to {@code finalLearningRate}, PyTorch {@code
 * threads}, {@code seed}. {@code sigma}: the feed's noise on the 0-255 scale, or 0 to estimate it
 * ({@link dev.denoiser.frame.NoiseEstimate}). {@code gateFrames}: how many of the given frames (the
 * last ones) are held back from training for the gate, which promotes only a candidate whose
 * estimated PSNR beats the serving model's by at least {@code minGainDb}.
 */
public record RefreshOptions(
    Objective objective,
    boolean clipAware,
    int steps,
    int batch,
    int patch,
    double learningRate,
    double finalLearningRate,
    int threads,
    long seed,
    double sigma,
    int gateFrames,
    double minGainDb,
    int rounds,
    double recipeFraction) {
  /** Recorrupted-to-Recorrupted's {@code a}: input {@code y + a z}, target {@code y - z / a}. */
  public static final double R2R_ALPHA = 0.5;

  /** Neighbor2Neighbor's regulariser weight. */
  public static final double N2N_GAMMA = 2.0;

  public RefreshOptions {
    if (objective == null
        || steps < 0
        || batch < 1
        || patch < 8
        || patch % 4 != 0
        || !(learningRate > 0)
        || !(finalLearningRate > 0)
        || finalLearningRate > learningRate
        || threads < 0
        || !(sigma >= 0)
        || gateFrames < 1
        || !(minGainDb >= 0)
        || rounds < 1
        || !(recipeFraction >= 0 && recipeFraction <= 1)) {
      throw new IllegalArgumentException("bad refresh options: " + this);
    }
  }

  /** Options of one round and no recipe patches. */
  public RefreshOptions(
      Objective objective,
      boolean clipAware,
      int steps,
      int batch,
      int patch,
      double learningRate,
      double finalLearningRate,
      int threads,
      long seed,
      double sigma,
      int gateFrames,
      double minGainDb) {
    this(
        objective,
        clipAware,
        steps,
        batch,
        patch,
        learningRate,
        finalLearningRate,
        threads,
        seed,
        sigma,
        gateFrames,
        minGainDb,
        1,
        0);
  }

  public RefreshOptions withSeed(long n) {
    return copy(d -> d.seed = n);
  }

  /**
   * The bootstrap in {@code n} rounds (the steps split evenly; each round's targets are the
   * previous round's outputs) with {@code fraction} of every batch cut from the serving model's own
   * clean training photos ({@link dev.denoiser.data.NaturalImages#training}) instead of the feed.
   */
  public RefreshOptions withRounds(int n, double fraction) {
    return copy(
        d -> {
          d.rounds = n;
          d.recipeFraction = fraction;
        });
  }

  /**
   * Defaults, those of the service's self-supervised runs ({@code trainer.selfsup.*}): the
   * bootstrap, 500 steps of 16 patches of 64x64, lr 3e-4 annealed to 1e-5, one thread, sigma
   * estimated, 8 gate frames, a gain of 0.1 dB to promote.
   */
  public static RefreshOptions defaults() {
    return new RefreshOptions(Objective.BOOTSTRAP, true, 500, 16, 64, 3e-4, 1e-5, 1, 1, 0, 8, 0.1);
  }

  public RefreshOptions withObjective(Objective o, boolean aware) {
    return copy(
        d -> {
          d.objective = o;
          d.clipAware = aware;
        });
  }

  public RefreshOptions withSteps(int n) {
    return copy(d -> d.steps = n);
  }

  public RefreshOptions withLearningRate(double lr, double finalLr) {
    return copy(
        d -> {
          d.learningRate = lr;
          d.finalLearningRate = finalLr;
        });
  }

  public RefreshOptions withSigma(double s) {
    return copy(d -> d.sigma = s);
  }

  public RefreshOptions withGateFrames(int n) {
    return copy(d -> d.gateFrames = n);
  }

  public RefreshOptions withBatch(int b, int p) {
    return copy(
        d -> {
          d.batch = b;
          d.patch = p;
        });
  }

  /** A short label such as {@code r2r+clip}. */
  public String label() {
    String l = objective.id() + (clipAware && objective != Objective.BOOTSTRAP ? "+clip" : "");
    if (rounds > 1) {
      l += " x" + rounds + " rounds";
    }
    if (recipeFraction > 0) {
      l += " +" + Math.round(recipeFraction * 100) + "% recipe";
    }
    return l;
  }

  /** A mutable copy of the fields, for the {@code with} methods. */
  private static final class Draft {
    Objective objective;
    boolean clipAware;
    int steps;
    int batch;
    int patch;
    double learningRate;
    double finalLearningRate;
    int threads;
    long seed;
    double sigma;
    int gateFrames;
    double minGainDb;
    int rounds;
    double recipeFraction;
  }

  /** These options with {@code change} applied (and validated again). */
  private RefreshOptions copy(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft();
    d.objective = objective;
    d.clipAware = clipAware;
    d.steps = steps;
    d.batch = batch;
    d.patch = patch;
    d.learningRate = learningRate;
    d.finalLearningRate = finalLearningRate;
    d.threads = threads;
    d.seed = seed;
    d.sigma = sigma;
    d.gateFrames = gateFrames;
    d.minGainDb = minGainDb;
    d.rounds = rounds;
    d.recipeFraction = recipeFraction;
    change.accept(d);
    return new RefreshOptions(
        d.objective,
        d.clipAware,
        d.steps,
        d.batch,
        d.patch,
        d.learningRate,
        d.finalLearningRate,
        d.threads,
        d.seed,
        d.sigma,
        d.gateFrames,
        d.minGainDb,
        d.rounds,
        d.recipeFraction);
  }
}
