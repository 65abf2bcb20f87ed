package dev.denoiser.model;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Scores denoisers on a test set: mean per-image PSNR and SSIM of the output against the clean
 * image, for the noisy input itself, the 3x3 median, the best Gaussian blur (sigma picked per noise
 * from {@link #BLUR_SIGMAS}) and exported models run through ONNX Runtime. The noisy images for one
 * noise spec come from one fixed seed, so every method sees the same corruption.
 */
public final class Evaluator {
  public static final double[] BLUR_SIGMAS = {0.5, 0.7, 0.85, 1.0, 1.25, 1.5, 2.0};
  public static final long SEED = 20240601L;
  static final int BATCH = 250;

  /** Mean PSNR (dB) and SSIM; {@code detail} says e.g. which blur sigma won. */
  public record Score(double psnr, double ssim, String detail) {
    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("psnr", round(psnr, 3)).put("ssim", round(ssim, 4));
      return detail == null ? j : j.put("detail", detail);
    }
  }

  /** One noisy version of a clean set. */
  public record Corrupted(Noise noise, float[] clean, float[] noisy, int n, int h, int w) {
    public static Corrupted of(ImageSet set, Noise noise, long seed) {
      float[] clean = set.floats(0, set.count());
      return new Corrupted(
          noise,
          clean,
          noise.apply(clean, set.pixelsPerImage(), seed),
          set.count(),
          set.height(),
          set.width());
    }
  }

  private Evaluator() {}

  public static Score score(float[] out, Corrupted c) {
    double[] ps = Metrics.meanPsnrSsim(out, c.clean(), c.n(), c.h(), c.w());
    return new Score(ps[0], ps[1], null);
  }

  public static Score noisy(Corrupted c) {
    return score(c.noisy(), c);
  }

  public static Score median(Corrupted c) {
    return score(Filters.median3(c.noisy(), c.n(), c.h(), c.w()), c);
  }

  /** The Gaussian blur whose sigma scores the best PSNR on this set. */
  public static Score bestBlur(Corrupted c) {
    Score best = null;
    for (double s : BLUR_SIGMAS) {
      Score sc = score(Filters.gaussianBlur(c.noisy(), c.n(), c.h(), c.w(), s), c);
      if (best == null || sc.psnr() > best.psnr()) {
        best = new Score(sc.psnr(), sc.ssim(), "sigma " + s);
      }
    }
    return best;
  }

  /** An exported model through ONNX Runtime. */
  public static Score onnx(Path model, Corrupted c) {
    return onnx(model, c, n -> {});
  }

  /**
   * The same, telling {@code progress} how many images each run of {@link #BATCH} denoised, so the
   * counts add up to {@code c.n()}.
   */
  public static Score onnx(Path model, Corrupted c, LongConsumer progress) {
    int px = c.h() * c.w();
    float[] out = new float[c.noisy().length];
    try (OrtModel ort = new OrtModel(model, Torch.defaultThreads())) {
      for (int from = 0; from < c.n(); from += BATCH) {
        int b = Math.min(BATCH, c.n() - from);
        float[] chunk = java.util.Arrays.copyOfRange(c.noisy(), from * px, (from + b) * px);
        System.arraycopy(ort.denoise(chunk, b, c.h(), c.w(), BATCH), 0, out, from * px, b * px);
        progress.accept(b);
      }
    }
    return score(out, c);
  }

  /** A DJL model (before export). */
  public static Score djl(NetModel model, Corrupted c) {
    float[] out = new float[c.noisy().length];
    int px = c.h() * c.w();
    for (int from = 0; from < c.n(); from += BATCH) {
      int b = Math.min(BATCH, c.n() - from);
      float[] chunk = java.util.Arrays.copyOfRange(c.noisy(), from * px, (from + b) * px);
      System.arraycopy(model.predict(chunk, b, c.h(), c.w()).denoised(), 0, out, from * px, b * px);
    }
    return score(out, c);
  }

  /**
   * The whole comparison: rows are methods (noisy, median3, blur, then each model by name), columns
   * the noise specs.
   */
  public static Map<String, Map<String, Score>> table(
      ImageSet test, List<Noise> noises, Map<String, Path> models) {
    return table(test, noises, models, n -> {});
  }

  /**
   * Images {@link #table} denoises: each noise's set once for the median, once per blur sigma and
   * once per model.
   */
  public static long work(ImageSet test, List<Noise> noises, Map<String, Path> models) {
    return (long) test.count() * noises.size() * (1 + BLUR_SIGMAS.length + models.size());
  }

  /**
   * The same, telling {@code progress} how many images were denoised (adds up to {@link #work}).
   */
  public static Map<String, Map<String, Score>> table(
      ImageSet test, List<Noise> noises, Map<String, Path> models, LongConsumer progress) {
    Map<String, Map<String, Score>> rows = new LinkedHashMap<>();
    for (Noise nz : noises) {
      Corrupted c = Corrupted.of(test, nz, SEED);
      rows.computeIfAbsent("noisy input", k -> new LinkedHashMap<>()).put(nz.spec(), noisy(c));
      rows.computeIfAbsent("median 3x3", k -> new LinkedHashMap<>()).put(nz.spec(), median(c));
      progress.accept(c.n());
      rows.computeIfAbsent("gaussian blur (best sigma)", k -> new LinkedHashMap<>())
          .put(nz.spec(), bestBlur(c));
      progress.accept((long) c.n() * BLUR_SIGMAS.length);
      for (Map.Entry<String, Path> m : models.entrySet()) {
        rows.computeIfAbsent(m.getKey(), k -> new LinkedHashMap<>())
            .put(nz.spec(), onnx(m.getValue(), c, progress));
      }
    }
    return rows;
  }

  /** The table as Markdown: "PSNR dB / SSIM" per cell. */
  public static String markdown(Map<String, Map<String, Score>> rows, List<Noise> noises, int n) {
    StringBuilder sb = new StringBuilder();
    sb.append("| method (").append(n).append(" test images) |");
    List<String> specs = new ArrayList<>();
    for (Noise nz : noises) {
      specs.add(nz.spec());
      sb.append(' ').append(nz.spec()).append(" |");
    }
    sb.append("\n|---|");
    specs.forEach(s -> sb.append("---|"));
    sb.append('\n');
    rows.forEach(
        (method, cells) -> {
          sb.append("| ").append(method).append(" |");
          for (String s : specs) {
            Score sc = cells.get(s);
            sb.append(
                sc == null
                    ? " - |"
                    : String.format(
                        java.util.Locale.ROOT,
                        " %.2f / %.3f%s |",
                        sc.psnr(),
                        sc.ssim(),
                        sc.detail() == null ? "" : " (" + sc.detail() + ")"));
          }
          sb.append('\n');
        });
    sb.append(
        "\nCells: mean per-image PSNR in dB / mean SSIM against the clean digit. "
            + "Models run through ONNX Runtime from their exported model.onnx.\n");
    return sb.toString();
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
