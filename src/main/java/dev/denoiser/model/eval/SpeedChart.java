package dev.denoiser.model.eval;

import dev.denoiser.model.Chart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The speed-against-quality chart of {@code eval-natural}: for every timed method, its mean gray
 * PSNR at each sigma of {@link NaturalEval#SIGMAS} (one series per sigma) against its frames/s at
 * 640x480; the points of the first series carry the method names.
 */
public final class SpeedChart {
  private SpeedChart() {}

  /**
   * {@code fps} maps a method (a key of {@code gray}) to its frames/s at 640x480; methods without a
   * score are left out.
   */
  public static Chart of(Map<String, Double> fps, Map<String, Score[]> gray, String threads) {
    List<String> names = new ArrayList<>();
    for (String k : fps.keySet()) {
      if (gray.containsKey(k)) {
        names.add(k);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no timed method has a score");
    }
    double[] x = new double[names.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = fps.get(names.get(i));
    }
    Chart c =
        new Chart(
                "Speed against quality on the test photos",
                "frames/s at 640x480 (" + threads + ")",
                "mean PSNR, gray (dB)")
            .size(760, 480);
    for (int s = 0; s < NaturalEval.SIGMAS.length; s++) {
      double[] y = new double[names.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = gray.get(names.get(i))[s].mean();
      }
      Chart.Series series =
          Chart.Series.of("sigma " + (int) NaturalEval.SIGMAS[s], x, y, Chart.Mark.POINTS);
      c.add(s == 0 ? series.withLabels(names.toArray(String[]::new)) : series);
    }
    return c;
  }
}
