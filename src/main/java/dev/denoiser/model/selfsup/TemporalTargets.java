package dev.denoiser.model.selfsup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.TemporalNoiseEstimate;
import dev.denoiser.model.Trainer;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Noise2Noise over time, for a still camera: the target of a pixel of one frame is the mean of the
 * same pixel in the other sampled frames where the scene stood still there. The noise of every
 * frame is independent of the others', so the target's noise is independent of the input's and
 * about {@code sqrt(k)} times smaller for {@code k} frames, and unlike the bootstrap's targets it
 * keeps the detail the serving model loses. Motion is found as {@link TemporalNoiseEstimate} finds
 * it (an {@value TemporalNoiseEstimate#CELL}-pixel cell whose mean departs from the pixels' median
 * over the frames by more than {@value TemporalNoiseEstimate#MOTION_Z} standard errors); a pixel in
 * a moving cell of the input frame, or seen still in fewer than {@value #MIN_OTHERS} other frames,
 * does not count in the loss. A frame's brightness may drift (light, exposure, compression): each
 * target is shifted by the input frame's mean departure from the others over its still pixels. The
 * frames' mean is an 8-bit clipped mean, so the loss compares it with the censored-Gaussian mean of
 * the output ({@link ClipMean}) when clipping-aware.
 */
final class TemporalTargets implements Trainer.StepLoss {
  /**
   * How far the temporal and the per-frame noise estimates may disagree (as a fraction) for the
   * frames to count as one still scene: the per-frame estimate is within 10% on photos from sigma 5
   * to 75; different images that pass the cell test (MNIST digits at sigma 178: 150 against 206) do
   * not agree.
   */
  static final double AGREEMENT = 0.15;

  /** The fewest other frames a pixel must be still in to count. */
  static final int MIN_OTHERS = 8;

  private final List<Frame> frames;
  private final int height;
  private final int width;
  private final int cellsX;
  private final boolean[][] still;
  private final float[] sum;
  private final int[] count;
  private final float[] shift;
  private final SelfSupervisedRefresh.Patches patches;
  private final double s;
  private final RefreshOptions o;

  private double stillFraction;

  /**
   * The temporal targets of {@code frames}, or null when they are not a still camera's: fewer than
   * {@value TemporalNoiseEstimate#MIN_FRAMES} frames of one size, fewer than {@value
   * TemporalNoiseEstimate#MIN_STATIC} of the cells still, or a temporal noise estimate more than
   * {@value #AGREEMENT} away from the per-frame one.
   */
  static TemporalTargets of(List<Frame> frames, double sigma, RefreshOptions o) {
    List<Frame> same = TemporalNoiseEstimate.commonSize(frames);
    if (same.size() < TemporalNoiseEstimate.MIN_FRAMES) {
      return null;
    }
    TemporalNoiseEstimate.Result still = TemporalNoiseEstimate.estimate(same);
    if (!still.valid() || Math.abs(still.sigma() / still.spatialSigma() - 1) > AGREEMENT) {
      return null;
    }
    TemporalTargets t = new TemporalTargets(same, sigma, o);
    return t.stillFraction < TemporalNoiseEstimate.MIN_STATIC ? null : t;
  }

  private TemporalTargets(List<Frame> same, double sigma, RefreshOptions o) {
    this.frames = same;
    this.height = frames.get(0).height();
    this.width = frames.get(0).width();
    int n = height * width;
    int cell = TemporalNoiseEstimate.CELL;
    int cy = height / cell;
    this.cellsX = width / cell;
    float[] background = TemporalNoiseEstimate.medians(frames, n);
    double limit = TemporalNoiseEstimate.MOTION_Z * sigma / cell / 255.0;
    this.still = new boolean[frames.size()][cy * cellsX];
    this.sum = new float[n];
    this.count = new int[n];
    for (int k = 0; k < frames.size(); k++) {
      float[] px = frames.get(k).pixels();
      for (int j = 0; j < cy; j++) {
        for (int i = 0; i < cellsX; i++) {
          double d = 0;
          for (int y = j * cell; y < (j + 1) * cell; y++) {
            for (int x = i * cell; x < (i + 1) * cell; x++) {
              d += px[y * width + x] - background[y * width + x];
            }
          }
          if (Math.abs(d) / (cell * cell) > limit) {
            continue;
          }
          stillFraction += 1.0 / ((double) frames.size() * cy * cellsX);
          still[k][j * cellsX + i] = true;
          for (int y = j * cell; y < (j + 1) * cell; y++) {
            for (int x = i * cell; x < (i + 1) * cell; x++) {
              sum[y * width + x] += px[y * width + x];
              count[y * width + x]++;
            }
          }
        }
      }
    }
    this.shift = new float[frames.size()];
    for (int k = 0; k < frames.size(); k++) {
      float[] px = frames.get(k).pixels();
      double d = 0;
      long m = 0;
      for (int p = 0; p < n; p++) {
        if (counts(k, p)) {
          d += px[p] - (sum[p] - px[p]) / (count[p] - 1);
          m++;
        }
      }
      shift[k] = m == 0 ? 0f : (float) (d / m);
    }
    this.patches = new SelfSupervisedRefresh.Patches(frames, o.seed());
    this.s = sigma / 255.0;
    this.o = o;
  }

  /** Whether pixel {@code p} of frame {@code k} is still and still in enough other frames. */
  private boolean counts(int k, int p) {
    int y = p / width;
    int x = p % width;
    int cell = TemporalNoiseEstimate.CELL;
    if (y / cell >= still[k].length / cellsX || x / cell >= cellsX) {
      return false;
    }
    return still[k][(y / cell) * cellsX + x / cell] && count[p] - 1 >= MIN_OTHERS;
  }

  /** The target of pixel {@code p} of frame {@code k}, or NaN where it does not count. */
  float target(int k, int p) {
    return counts(k, p)
        ? (sum[p] - frames.get(k).pixels()[p]) / (count[p] - 1) + shift[k]
        : Float.NaN;
  }

  /** How many frames the targets come from. */
  int frames() {
    return frames.size();
  }

  /** The fraction of pixels of all frames that count in the loss. */
  double usedFraction() {
    long used = 0;
    for (int k = 0; k < frames.size(); k++) {
      for (int p = 0; p < height * width; p++) {
        if (counts(k, p)) {
          used++;
        }
      }
    }
    return (double) used / ((long) frames.size() * height * width);
  }

  /** The standard deviation of the frames' brightness shifts, on the 0-255 scale. */
  double shiftSpread() {
    double m = 0;
    double q = 0;
    for (float v : shift) {
      m += v;
      q += (double) v * v;
    }
    m /= shift.length;
    return 255 * Math.sqrt(Math.max(0, q / shift.length - m * m));
  }

  @Override
  public NDArray loss(NDManager scope, UnaryOperator<NDArray> net, long step) {
    int b = o.batch();
    int p = o.patch();
    int[] idx = new int[p * p];
    float[] in = new float[b * p * p];
    float[] target = new float[b * p * p];
    float[] weight = new float[b * p * p];
    double used = 0;
    for (int k = 0; k < b; k++) {
      int[] c = patches.crop(p);
      SelfSupervisedRefresh.Patches.indices(c, width, p, idx);
      float[] px = frames.get(c[0]).pixels();
      int off = k * p * p;
      for (int i = 0; i < idx.length; i++) {
        int q = idx[i];
        in[off + i] = px[q];
        float t = target(c[0], q);
        if (!Float.isNaN(t)) {
          target[off + i] = t;
          weight[off + i] = 1f;
          used++;
        }
      }
    }
    Shape shape = new Shape(b, 1, p, p);
    NDArray out = net.apply(scope.create(in, shape));
    NDArray err =
        SelfSupervisedRefresh.predicted(out, s, o.clipAware()).sub(scope.create(target, shape));
    return err.square().mul(scope.create(weight, shape)).sum().div((float) Math.max(1, used));
  }
}
