package dev.denoiser.model.selfsup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.NaturalImages;
import dev.denoiser.data.Noise;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.NoiseEstimate;
import dev.denoiser.frame.TemporalNoiseEstimate;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.NetSpec;
import dev.denoiser.model.OnnxExporter;
import dev.denoiser.model.OnnxImporter;
import dev.denoiser.model.OrtModel;
import dev.denoiser.model.TrainConfig;
import dev.denoiser.model.TrainListener;
import dev.denoiser.model.Trainer;
import dev.denoiser.model.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Refreshes a served denoiser on noisy frames only.
 *
 * <pre>{@code
 * Result r = SelfSupervisedRefresh.run(servingOnnx, card, noisyFrames, RefreshOptions.defaults(),
 *     listener);
 * r.candidateOnnx();   // the fine-tuned model, an ONNX file's bytes (the serving card's metadata)
 * r.sigmaHat();        // the noise sigma (0-255) trained and gated at
 * r.gate().promote();  // the clipping-aware SURE gate: candidate beats serving on held-back frames
 * }</pre>
 *
 * The last {@link RefreshOptions#gateFrames()} frames are held back; the others are cut into random
 * patches (with the eight flips and rotations) for {@link RefreshOptions#steps()} steps of the
 * {@link Objective} from the serving weights ({@link Trainer#fineTune}). Frames are gray ({@link
 * Frame#channels()} 1) and at least {@code 2 * patch} pixels on each side.
 */
public final class SelfSupervisedRefresh {
  /**
   * The refreshed model, the noise it was trained for, the gate's decision, the speed, and the
   * objective that ran with what it saw ({@code temporal} falls back to {@code bootstrap} on frames
   * that are not a still camera's).
   */
  public record Result(
      byte[] candidateOnnx,
      double sigmaHat,
      GateReport gate,
      double patchesPerSecond,
      double seconds,
      String trained) {}

  /** A fine-tune's result and the objective that ran, as {@link Result#trained()} says it. */
  public record Trained(Trainer.Result result, String objective) {}

  private SelfSupervisedRefresh() {}

  /**
   * Refreshes the model in {@code servingOnnx} (described by {@code card}) on {@code noisyFrames}.
   */
  public static Result run(
      Path servingOnnx,
      ModelCard card,
      List<Frame> noisyFrames,
      RefreshOptions opts,
      TrainListener listener) {
    if (noisyFrames.size() <= opts.gateFrames()) {
      throw new IllegalArgumentException(
          "a refresh needs more than "
              + opts.gateFrames()
              + " frames (the gate holds that many back), got "
              + noisyFrames.size());
    }
    List<Frame> train = noisyFrames.subList(0, noisyFrames.size() - opts.gateFrames());
    List<Frame> gate =
        noisyFrames.subList(noisyFrames.size() - opts.gateFrames(), noisyFrames.size());
    for (Frame f : noisyFrames) {
      if (f.channels() != 1) {
        throw new IllegalArgumentException(
            "the self-supervised refresh trains on gray frames, got " + f);
      }
    }
    Sigma est = opts.sigma() > 0 ? new Sigma(opts.sigma(), "given") : sigmaOf(train);
    double sigma = est.value();
    OnnxImporter.Imported im = OnnxImporter.read(servingOnnx);
    Trained t = train(im, train, sigma, opts, listener);
    Trainer.Result tr = t.result();
    byte[] bytes;
    try {
      Map<String, String> meta = new LinkedHashMap<>(im.metadata());
      meta.put(
          "refresh",
          "self-supervised "
              + opts.label()
              + " sigma "
              + Math.round(sigma * 10) / 10.0
              + ", "
              + opts.steps()
              + " steps of "
              + opts.batch()
              + "x"
              + opts.patch()
              + "^2: "
              + t.objective());
      bytes = OnnxExporter.toBytes(im.spec(), tr.model().weights(), meta);
    } finally {
      tr.model().close();
    }
    GateReport g =
        gate(servingOnnx, bytes, gate, sigma, est.source(), opts.minGainDb(), opts.seed());
    return new Result(
        bytes, sigma, g, tr.imagesPerSecond() * opts.batch(), tr.seconds(), t.objective());
  }

  /** A noise sigma (0-255) and how it was found. */
  public record Sigma(double value, String source) {}

  /**
   * The feed's noise: the temporal estimate over all frames ({@link TemporalNoiseEstimate}) when
   * the frames come from a still camera, else the median of the per-frame estimates.
   */
  public static Sigma sigmaOf(List<Frame> frames) {
    TemporalNoiseEstimate.Result t = TemporalNoiseEstimate.estimate(frames);
    return t.valid() ? new Sigma(t.sigma(), "temporal") : new Sigma(estimateSigma(frames), "frame");
  }

  /** The median of the per-frame noise estimates of up to 8 frames spread over the list. */
  public static double estimateSigma(List<Frame> frames) {
    int k = Math.min(8, frames.size());
    double[] s = new double[k];
    for (int i = 0; i < k; i++) {
      s[i] = NoiseEstimate.sigma(frames.get(i * frames.size() / k));
    }
    Arrays.sort(s);
    return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
  }

  /** Fine-tunes the imported weights with the objective; the caller closes the result's model. */
  public static Trained train(
      OnnxImporter.Imported im,
      List<Frame> frames,
      double sigma,
      RefreshOptions opts,
      TrainListener listener) {
    NetSpec spec = im.spec();
    if (spec.channels() != 1) {
      throw new ModelException(
          "the self-supervised refresh is for gray models, not " + spec.channels() + " channels");
    }
    TrainConfig cfg =
        new TrainConfig(
            1,
            opts.batch(),
            opts.learningRate(),
            Noise.gaussian(0),
            opts.seed(),
            opts.threads(),
            0,
            1.0,
            opts.finalLearningRate(),
            TrainConfig.Loss.MSE);
    String fellBack = "";
    if (opts.objective() == Objective.TEMPORAL) {
      TemporalTargets t = TemporalTargets.of(frames, sigma, opts);
      if (t != null) {
        String seen =
            String.format(
                java.util.Locale.ROOT,
                "temporal (%d frames, %.1f%% of their pixels still, brightness shifts %.2f)",
                t.frames(),
                100 * t.usedFraction(),
                t.shiftSpread());
        return new Trained(
            Trainer.fineTune(spec, im.weights(), cfg, opts.steps(), t, listener), seen);
      }
      fellBack = " (temporal fell back: not a still camera's frames)";
    }
    if (opts.objective() == Objective.R2R || opts.objective() == Objective.N2N) {
      Trainer.StepLoss loss =
          opts.objective() == Objective.R2R
              ? new R2r(frames, sigma, opts)
              : new N2n(frames, sigma, opts);
      return new Trained(
          Trainer.fineTune(spec, im.weights(), cfg, opts.steps(), loss, listener), opts.label());
    }
    ImageSet recipe = opts.recipeFraction() > 0 ? recipePatches(opts) : null;
    Weights w = im.weights();
    Trainer.Result tr = null;
    for (int r = 0; r < opts.rounds(); r++) {
      long steps =
          (long) opts.steps() * (r + 1) / opts.rounds() - (long) opts.steps() * r / opts.rounds();
      List<Frame> targets = teacher(spec, w, im.metadata(), frames);
      RefreshOptions ro = opts.withSeed(opts.seed() + 101L * r);
      Trainer.Result next =
          Trainer.fineTune(
              spec, w, cfg, steps, new Bootstrap(targets, recipe, sigma, ro), listener);
      if (tr != null) {
        tr.model().close();
      }
      tr = next;
      w = tr.model().weights();
    }
    return new Trained(tr, opts.withObjective(Objective.BOOTSTRAP, false).label() + fellBack);
  }

  /** How many clean patches of the model's own training photos the recipe mix draws from. */
  static final int RECIPE_PATCHES = 4000;

  /** Patches of the natural-image training photos (the serving model's own training data). */
  static ImageSet recipePatches(RefreshOptions opts) {
    return NaturalImages.training(NaturalImages.defaultDir(), 1)
        .patches(opts.patch(), RECIPE_PATCHES, opts.seed() * 17 + 3);
  }

  /**
   * The gate: the clipping-aware SURE PSNR of serving and candidate on the held-back frames (the
   * serving model's output is the pilot for the clipped pixels of both).
   */
  public static GateReport gate(
      Path servingOnnx,
      byte[] candidate,
      List<Frame> frames,
      double sigma,
      double minGainDb,
      long seed) {
    return gate(servingOnnx, candidate, frames, sigma, "given", minGainDb, seed);
  }

  /**
   * The gate, naming where sigma came from. It promotes when the estimated gain reaches {@code
   * minGainDb} and the per-frame MSE difference (which does not carry SURE's {@code n sigma^2}
   * term) agrees that the candidate is better.
   */
  public static GateReport gate(
      Path servingOnnx,
      byte[] candidate,
      List<Frame> frames,
      double sigma,
      String sigmaSource,
      double minGainDb,
      long seed) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("candidate", ".onnx");
      Files.write(tmp, candidate);
      try (OrtModel serving = new OrtModel(servingOnnx, 1);
          OrtModel cand = new OrtModel(tmp, 1)) {
        Denoiser s = Denoiser.of(serving);
        Denoiser c = Denoiser.of(cand);
        double[] ms = ClippedSure.estimateMses(s, s, frames, sigma, seed);
        double[] mc = ClippedSure.estimateMses(c, s, frames, sigma, seed);
        double[] both = ClippedSure.psnrs(ms, mc);
        double ps = both[0];
        double pc = both[1];
        double delta = 0;
        for (int k = 0; k < ms.length; k++) {
          delta += (mc[k] - ms[k]) / ms.length;
        }
        return new GateReport(
            ps,
            pc,
            minGainDb,
            frames.size(),
            sigma,
            pc - ps >= minGainDb && delta < 0,
            delta,
            sigmaSource);
      }
    } catch (IOException e) {
      throw new ModelException("cannot write the candidate for the gate: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file left behind
        }
      }
    }
  }

  /** Random square crops of gray frames in one of the eight symmetries of the square. */
  static final class Patches {
    private final List<Frame> frames;
    private final SplittableRandom rng;

    Patches(List<Frame> frames, long seed) {
      this.frames = frames;
      this.rng = new SplittableRandom(seed);
    }

    float[] next(int count, int size) {
      float[] out = new float[count * size * size];
      int[] idx = new int[size * size];
      for (int k = 0; k < count; k++) {
        int[] c = crop(size);
        indices(c, frames.get(c[0]).width(), size, idx);
        float[] px = frames.get(c[0]).pixels();
        int o = k * size * size;
        for (int i = 0; i < idx.length; i++) {
          out[o + i] = px[idx[i]];
        }
      }
      return out;
    }

    /** A random crop: frame index, top, left and one of the eight symmetries. */
    int[] crop(int size) {
      int f = rng.nextInt(frames.size());
      Frame fr = frames.get(f);
      if (fr.height() < size || fr.width() < size) {
        throw new IllegalArgumentException(
            "frame " + fr + " is smaller than a " + size + "x" + size + " patch");
      }
      return new int[] {
        f, rng.nextInt(fr.height() - size + 1), rng.nextInt(fr.width() - size + 1), rng.nextInt(8)
      };
    }

    /** The source pixel (in a frame {@code width} wide) of every pixel of the crop {@code c}. */
    static void indices(int[] c, int width, int size, int[] idx) {
      dev.denoiser.frame.Symmetry.indices(c[1], c[2], width, size, c[3], idx);
    }
  }

  static double gauss(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** The prediction the loss compares with a target: {@code g(f, s)} when clipping-aware. */
  static NDArray predicted(NDArray f, double s, boolean clipAware) {
    return clipAware ? ClipMean.of(f, s) : f;
  }

  /** Recorrupted-to-Recorrupted. */
  static final class R2r implements Trainer.StepLoss {
    private final Patches patches;
    private final SplittableRandom rng;
    private final double s;
    private final RefreshOptions o;

    R2r(List<Frame> frames, double sigma, RefreshOptions o) {
      this.patches = new Patches(frames, o.seed());
      this.rng = new SplittableRandom(o.seed() * 31 + 7);
      this.s = sigma / 255.0;
      this.o = o;
    }

    @Override
    public NDArray loss(NDManager scope, UnaryOperator<NDArray> net, long step) {
      int b = o.batch();
      int p = o.patch();
      float[] y = patches.next(b, p);
      float[] in = new float[y.length];
      float[] target = new float[y.length];
      double a = RefreshOptions.R2R_ALPHA;
      for (int i = 0; i < y.length; i++) {
        double z = s * gauss(rng);
        in[i] = (float) (y[i] + a * z);
        target[i] = (float) (y[i] - z / a);
      }
      Shape shape = new Shape(b, 1, p, p);
      NDArray out = net.apply(scope.create(in, shape));
      return predicted(out, s, o.clipAware()).sub(scope.create(target, shape)).square().mean();
    }
  }

  /** The serving model's outputs on {@code frames} (the bootstrap's targets). */
  static List<Frame> teacher(OnnxImporter.Imported im, List<Frame> frames) {
    return teacher(im.spec(), im.weights(), im.metadata(), frames);
  }

  /** The outputs of the network {@code spec} with {@code weights} on {@code frames}. */
  static List<Frame> teacher(
      NetSpec spec, Weights weights, Map<String, String> meta, List<Frame> frames) {
    byte[] onnx = OnnxExporter.toBytes(spec, weights, meta);
    Path tmp = null;
    try {
      tmp = Files.createTempFile("serving", ".onnx");
      Files.write(tmp, onnx);
      List<Frame> out = new java.util.ArrayList<>(frames.size());
      try (OrtModel serving = new OrtModel(tmp, 1)) {
        Denoiser d = Denoiser.of(serving);
        for (Frame f : frames) {
          out.add(new Frame(d.apply(f.pixels(), f.height(), f.width()), f.height(), f.width()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new ModelException(
          "cannot run the serving model for the bootstrap: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file left behind
        }
      }
    }
  }

  /**
   * The parametric bootstrap: re-noised serving outputs in, serving outputs as targets; with a
   * recipe set, that fraction of each batch is clean training patches instead.
   */
  static final class Bootstrap implements Trainer.StepLoss {
    private final Patches patches;
    private final ImageSet recipe;
    private final SplittableRandom rng;
    private final double s;
    private final RefreshOptions o;

    Bootstrap(List<Frame> targets, double sigma, RefreshOptions o) {
      this(targets, null, sigma, o);
    }

    Bootstrap(List<Frame> targets, ImageSet recipe, double sigma, RefreshOptions o) {
      this.patches = new Patches(targets, o.seed());
      this.recipe = recipe;
      this.rng = new SplittableRandom(o.seed() * 31 + 13);
      this.s = sigma;
      this.o = o;
    }

    @Override
    public NDArray loss(NDManager scope, UnaryOperator<NDArray> net, long step) {
      int b = o.batch();
      int p = o.patch();
      int fromRecipe = recipe == null ? 0 : (int) Math.round(b * o.recipeFraction());
      float[] x = new float[b * p * p];
      System.arraycopy(patches.next(b - fromRecipe, p), 0, x, 0, (b - fromRecipe) * p * p);
      for (int k = b - fromRecipe; k < b; k++) {
        recipe.copyInto(rng.nextInt(recipe.count()), x, k * p * p);
      }
      float[] in = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        double v = Math.rint(x[i] * 255.0 + s * gauss(rng));
        in[i] = (float) (Math.min(255, Math.max(0, v)) / 255.0);
      }
      Shape shape = new Shape(b, 1, p, p);
      NDArray out = net.apply(scope.create(in, shape));
      return out.sub(scope.create(x, shape)).square().mean();
    }
  }

  /** Neighbor2Neighbor with its regulariser. */
  static final class N2n implements Trainer.StepLoss {
    private static final int[][] NEIGHBOURS = {{1, 2}, {0, 3}, {0, 3}, {1, 2}};
    private final Patches patches;
    private final SplittableRandom rng;
    private final double s;
    private final RefreshOptions o;

    N2n(List<Frame> frames, double sigma, RefreshOptions o) {
      this.patches = new Patches(frames, o.seed());
      this.rng = new SplittableRandom(o.seed() * 31 + 11);
      this.s = sigma / 255.0;
      this.o = o;
    }

    @Override
    public NDArray loss(NDManager scope, UnaryOperator<NDArray> net, long step) {
      int b = o.batch();
      int p = o.patch();
      int full = 2 * p;
      float[] y = patches.next(b, full);
      float[] g1 = new float[b * p * p];
      float[] g2 = new float[b * p * p];
      long[] i1 = new long[b * p * p];
      long[] i2 = new long[b * p * p];
      for (int k = 0; k < b; k++) {
        for (int r = 0; r < p; r++) {
          for (int c = 0; c < p; c++) {
            // The 2x2 cell's positions 0 1 / 2 3; the pair is a cell position and a 4-neighbour of
            // it.
            int first = rng.nextInt(4);
            int second = NEIGHBOURS[first][rng.nextInt(2)];
            int j = (k * p + r) * p + c;
            i1[j] = (long) (2 * r + (first >> 1)) * full + 2 * c + (first & 1);
            i2[j] = (long) (2 * r + (second >> 1)) * full + 2 * c + (second & 1);
            g1[j] = y[k * full * full + (int) i1[j]];
            g2[j] = y[k * full * full + (int) i2[j]];
          }
        }
      }
      Shape half = new Shape(b, 1, p, p);
      NDArray fullOut;
      boolean was = JniUtils.isGradMode();
      JniUtils.setGradMode(false);
      try {
        fullOut =
            predicted(net.apply(scope.create(y, new Shape(b, 1, full, full))), s, o.clipAware())
                .stopGradient()
                .reshape(b, (long) full * full);
      } finally {
        JniUtils.setGradMode(was);
      }
      NDArray sub1 = fullOut.gather(scope.create(i1, new Shape(b, (long) p * p)), 1).reshape(half);
      NDArray sub2 = fullOut.gather(scope.create(i2, new Shape(b, (long) p * p)), 1).reshape(half);
      NDArray pred = predicted(net.apply(scope.create(g1, half)), s, o.clipAware());
      NDArray diff = pred.sub(scope.create(g2, half));
      NDArray rec = diff.square().mean();
      NDArray reg = diff.sub(sub1.sub(sub2)).square().mean();
      return rec.add(reg.mul((float) RefreshOptions.N2N_GAMMA));
    }
  }
}
