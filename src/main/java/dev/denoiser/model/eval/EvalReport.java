package dev.denoiser.model.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Markdown of the natural-image report: the gray table (method x sigma, mean PSNR), the chosen
 * parameters, per-photo PSNR at sigma 25, the colour table, speed, and the picture grid.
 *
 * @param gray method label to scores per sigma of {@link NaturalEval#SIGMAS}
 * @param models labels in {@code gray}/{@code color} that are models
 * @param color method label to its colour score at {@link NaturalEval#COLOR_SIGMA}
 * @param photos gray test photo names in score order
 * @param colorPhotos colour test photo names in score order
 * @param speed frames/s rows
 * @param nlmNote null, or why non-local means is missing
 * @param gridFile the picture grid's file name, relative to the report
 * @param gridCaption how the grid was made
 */
public record EvalReport(
    Map<String, Score[]> gray,
    Set<String> models,
    Map<String, Score> color,
    List<String> photos,
    List<String> colorPhotos,
    List<Speed> speed,
    String nlmNote,
    String gridFile,
    String gridCaption) {

  /** Frames per second of one method at 640x480 and 1920x1080. */
  public record Speed(String method, String how, double fps640, double fps1080) {}

  /** Issue 15's reference rows, measured outside the project (for comparison only). */
  private static final String REFERENCE =
      """
      | sigma | noisy | Gaussian blur | median | wavelet (BayesShrink) | non-local means | total variation |
      |---|---|---|---|---|---|---|
      | 15 | 24.71 | 30.06 | 28.62 | 29.81 | 31.35 | 31.18 |
      | 25 | 20.36 | 27.93 | 26.54 | 27.15 | 28.46 | 28.70 |
      | 50 | 14.73 | 24.92 | 23.36 | 24.04 | 24.88 | 25.28 |
      """;

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Natural-image evaluation\n\n");
    b.append(
            "Written by `stream-denoiser eval-natural`. Test set: the ten scikit-image photographs ")
        .append(String.join(", ", photos))
        .append(" (issue 15's test set; never trained on).\n\n");
    b.append("Protocol: clean gray = BT.601 luma (0.299 R + 0.587 G + 0.114 B, the service's ")
        .append("weights) rounded to uint8; noisy = uint8(clip(round(clean + N(0, sigma)))) with ")
        .append("`java.util.Random` seeded per photo, sigma and channel count ")
        .append("(`Objects.hash(name, sigma, channels)`); PSNR per photo on [0, 255] with the ")
        .append("output clipped to [0, 255] and not rounded (non-local means returns uint8 by ")
        .append(
            "OpenCV's design), then averaged. Each classical method's parameter is the best of ")
        .append("its grid by mean PSNR on this set at each sigma, the same for all photos (an ")
        .append("oracle choice, as for the issue's reference rows); models have no parameter.\n\n");
    if (nlmNote != null) {
      b.append("Non-local means is missing: ").append(nlmNote).append(".\n\n");
    }
    grayTable(b);
    b.append("\nIssue 15's reference rows (measured outside the project):\n\n").append(REFERENCE);
    perPhotoBest(b);
    parameters(b);
    perPhoto(b);
    colorTable(b);
    speed(b);
    b.append("\n## Crops\n\n")
        .append(gridCaption)
        .append("\n\n![crops](")
        .append(gridFile)
        .append(")\n");
    return b.toString();
  }

  private void grayTable(StringBuilder b) {
    b.append("## Gray: mean PSNR (dB) over the ten photos\n\n| method |");
    for (double s : NaturalEval.SIGMAS) {
      b.append(" sigma ").append((int) s).append(" |");
    }
    b.append("\n|---|");
    for (int i = 0; i < NaturalEval.SIGMAS.length; i++) {
      b.append("---:|");
    }
    b.append('\n');
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      b.append("| ")
          .append(models.contains(e.getKey()) ? "model `" + e.getKey() + "`" : e.getKey())
          .append(" |");
      for (Score s : e.getValue()) {
        b.append(' ').append(f2(s.mean())).append(" |");
      }
      b.append('\n');
    }
  }

  private void perPhotoBest(StringBuilder b) {
    b.append("\nThe same grids with the parameter chosen per photo instead (an oracle per photo; ")
        .append("the issue's Gaussian blur and median rows match this choice better than one ")
        .append("parameter per sigma):\n\n| method |");
    for (double s : NaturalEval.SIGMAS) {
      b.append(" sigma ").append((int) s).append(" |");
    }
    b.append("\n|---|");
    b.append("---:|".repeat(NaturalEval.SIGMAS.length)).append('\n');
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      if (e.getValue()[0].perImageBest() == null) {
        continue;
      }
      b.append("| ").append(e.getKey()).append(" |");
      for (Score s : e.getValue()) {
        b.append(' ').append(f2(s.meanPerImageBest())).append(" |");
      }
      b.append('\n');
    }
  }

  private void parameters(StringBuilder b) {
    b.append("\nParameters chosen (best mean PSNR per sigma; grids in `Baselines`):\n\n| method |");
    for (double s : NaturalEval.SIGMAS) {
      b.append(" sigma ").append((int) s).append(" |");
    }
    b.append("\n|---|");
    for (int i = 0; i < NaturalEval.SIGMAS.length; i++) {
      b.append("---|");
    }
    b.append('\n');
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      if (models.contains(e.getKey()) || e.getKey().equals(NaturalEval.NOISY)) {
        continue;
      }
      b.append("| ").append(e.getKey()).append(" |");
      for (Score s : e.getValue()) {
        b.append(' ').append(s.denoiser().name()).append(" |");
      }
      b.append('\n');
    }
  }

  private void perPhoto(StringBuilder b) {
    int s25 = 1;
    b.append("\n## Gray, sigma ")
        .append((int) NaturalEval.SIGMAS[s25])
        .append(": PSNR (dB) per photo\n\n| method |");
    for (String p : photos) {
      b.append(' ').append(p.replaceFirst("\\.[a-z]+$", "")).append(" |");
    }
    b.append("\n|---|");
    b.append("---:|".repeat(photos.size())).append('\n');
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      b.append("| ").append(e.getKey()).append(" |");
      for (double v : e.getValue()[s25].perImage()) {
        b.append(' ').append(f2(v)).append(" |");
      }
      b.append('\n');
    }
  }

  private void colorTable(StringBuilder b) {
    b.append("\n## Colour, sigma ")
        .append((int) NaturalEval.COLOR_SIGMA)
        .append(": mean PSNR (dB) over all RGB values of the five colour photos\n\n")
        .append("Photos: ")
        .append(String.join(", ", colorPhotos))
        .append(". Noise drawn ")
        .append("independently per RGB value. Gray models run on each channel.\n\n")
        .append("| method | PSNR | chosen | parameter per photo |\n|---|---:|---|---:|\n");
    for (Map.Entry<String, Score> e : color.entrySet()) {
      boolean model = models.contains(e.getKey());
      b.append("| ")
          .append(model ? "model `" + e.getKey() + "`" : e.getKey())
          .append(" | ")
          .append(f2(e.getValue().mean()))
          .append(" | ")
          .append(
              model || e.getKey().equals(NaturalEval.NOISY) ? "" : e.getValue().denoiser().name())
          .append(" | ")
          .append(e.getValue().perImageBest() == null ? "" : f2(e.getValue().meanPerImageBest()))
          .append(" |\n");
    }
  }

  private void speed(StringBuilder b) {
    b.append("\n## Speed: frames/s, batch 1\n\n");
    if (speed.isEmpty()) {
      b.append("Not measured.\n");
      return;
    }
    b.append("Whole-frame call after two warm-up calls (padding, tensor copies and the forward ")
        .append("pass). CPU: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores; system load average when written: ")
        .append(
            String.format(
                Locale.ROOT,
                "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage()))
        .append(" (other work on the same cores slows these numbers).\n\n")
        .append("| method | how | 640x480 | 1920x1080 |\n|---|---|---:|---:|\n");
    for (Speed s : speed) {
      b.append("| ")
          .append(s.method())
          .append(" | ")
          .append(s.how())
          .append(" | ")
          .append(f2(s.fps640()))
          .append(" | ")
          .append(f2(s.fps1080()))
          .append(" |\n");
    }
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
