package dev.denoiser.model.eval;

import dev.denoiser.model.eval.NaturalTestSet.Photo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the noisy input, the classical baselines (best parameter per sigma) and the given models
 * on the test photos: gray at every sigma of {@link #SIGMAS}, colour at {@link #COLOR_SIGMA}. Every
 * noisy image is drawn once with the protocol's seed and shared by all methods.
 */
public final class NaturalEval {
  public static final double[] SIGMAS = {15, 25, 50};
  public static final double COLOR_SIGMA = 25;
  public static final String NOISY = "noisy";

  private final List<Photo> photos;
  private final List<Image[]> noisyGray = new ArrayList<>();
  private final List<Image> noisyColor = new ArrayList<>();
  private final List<Photo> colorPhotos = new ArrayList<>();
  private final Runnable step;

  /** {@code step} is called once per denoised image (for a progress bar). */
  public NaturalEval(List<Photo> photos, Runnable step) {
    this.photos = List.copyOf(photos);
    this.step = step;
    for (Photo p : photos) {
      Image[] bySigma = new Image[SIGMAS.length];
      for (int i = 0; i < SIGMAS.length; i++) {
        bySigma[i] = NaturalTestSet.noisy(p.name(), p.gray(), SIGMAS[i]);
      }
      noisyGray.add(bySigma);
      if (p.rgb() != null) {
        colorPhotos.add(p);
        noisyColor.add(NaturalTestSet.noisy(p.name(), p.rgb(), COLOR_SIGMA));
      }
    }
  }

  /** Denoised images the whole run will compute, for a progress bar's maximum. */
  public static long work(
      List<Photo> photos, List<Baselines.Family> gray, List<Baselines.Family> color, int models) {
    long nGray = photos.size();
    long nColor = photos.stream().filter(p -> p.rgb() != null).count();
    long total = 0;
    for (double s : SIGMAS) {
      for (Baselines.Family f : gray) {
        total += f.candidates().apply(s).size() * nGray;
      }
      total += models * nGray;
    }
    for (Baselines.Family f : color) {
      total += f.candidates().apply(COLOR_SIGMA).size() * nColor;
    }
    return total + models * nColor;
  }

  public List<Photo> photos() {
    return photos;
  }

  public List<Photo> colorPhotos() {
    return colorPhotos;
  }

  /** The noisy gray version of photo {@code i} at sigma index {@code s}. */
  public Image noisyGray(int i, int s) {
    return noisyGray.get(i)[s];
  }

  /** Noisy input scores at every sigma. */
  public Score[] noisy() {
    Score[] out = new Score[SIGMAS.length];
    for (int s = 0; s < SIGMAS.length; s++) {
      double[] v = new double[photos.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = NaturalTestSet.psnr(photos.get(i).gray(), noisyGray.get(i)[s]);
      }
      out[s] = new Score(identity(), v);
    }
    return out;
  }

  public Score noisyColor() {
    double[] v = new double[colorPhotos.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = NaturalTestSet.psnr(colorPhotos.get(i).rgb(), noisyColor.get(i));
    }
    return new Score(identity(), v);
  }

  /** The best candidate of a family at every sigma (gray). */
  public Score[] gray(Baselines.Family family) {
    Score[] out = new Score[SIGMAS.length];
    for (int s = 0; s < SIGMAS.length; s++) {
      Score best = null;
      double[] perImage = new double[photos.size()];
      java.util.Arrays.fill(perImage, Double.NEGATIVE_INFINITY);
      for (Denoiser d : family.candidates().apply(SIGMAS[s])) {
        Score sc = gray(d, s);
        fold(perImage, sc);
        if (best == null || sc.mean() > best.mean()) {
          best = sc;
        }
      }
      out[s] = best.withBest(perImage);
    }
    return out;
  }

  /** One fixed method (a model) at every sigma (gray). */
  public Score[] gray(Denoiser d) {
    Score[] out = new Score[SIGMAS.length];
    for (int s = 0; s < SIGMAS.length; s++) {
      out[s] = gray(d, s);
    }
    return out;
  }

  private Score gray(Denoiser d, int s) {
    double[] v = new double[photos.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = NaturalTestSet.psnr(photos.get(i).gray(), d.denoise(noisyGray.get(i)[s]));
      step.run();
    }
    return new Score(d, v);
  }

  /** The best candidate of a family on the colour photos at {@link #COLOR_SIGMA}. */
  public Score color(Baselines.Family family) {
    Score best = null;
    double[] perImage = new double[colorPhotos.size()];
    java.util.Arrays.fill(perImage, Double.NEGATIVE_INFINITY);
    for (Denoiser d : family.candidates().apply(COLOR_SIGMA)) {
      Score sc = color(d);
      fold(perImage, sc);
      if (best == null || sc.mean() > best.mean()) {
        best = sc;
      }
    }
    return best.withBest(perImage);
  }

  private static void fold(double[] best, Score sc) {
    for (int i = 0; i < best.length; i++) {
      best[i] = Math.max(best[i], sc.perImage()[i]);
    }
  }

  /** One fixed method on the colour photos. */
  public Score color(Denoiser d) {
    double[] v = new double[colorPhotos.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = NaturalTestSet.psnr(colorPhotos.get(i).rgb(), d.denoise(noisyColor.get(i)));
      step.run();
    }
    return new Score(d, v);
  }

  /** Runs every family; keys are the family labels, in order, after {@link #NOISY}. */
  public Map<String, Score[]> grayTable(List<Baselines.Family> families) {
    Map<String, Score[]> out = new LinkedHashMap<>();
    out.put(NOISY, noisy());
    for (Baselines.Family f : families) {
      out.put(f.label(), gray(f));
    }
    return out;
  }

  /** Colour counterpart of {@link #grayTable}. */
  public Map<String, Score> colorTable(List<Baselines.Family> families) {
    Map<String, Score> out = new LinkedHashMap<>();
    out.put(NOISY, noisyColor());
    for (Baselines.Family f : families) {
      out.put(f.label(), color(f));
    }
    return out;
  }

  /** The method that returns its input. */
  public static Denoiser identity() {
    return new Denoiser() {
      @Override
      public String name() {
        return NOISY;
      }

      @Override
      public Image denoise(Image noisy) {
        return noisy;
      }
    };
  }
}
