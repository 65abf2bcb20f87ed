package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.model.Chart;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * eval-natural's speed chart: one series per sigma, the timed methods only, names on the points.
 */
class SpeedChartTest {
  private static Score[] scores(double... means) {
    Score[] s = new Score[means.length];
    for (int i = 0; i < means.length; i++) {
      s[i] = new Score(null, new double[] {means[i] - 1, means[i] + 1});
    }
    return s;
  }

  @Test
  void timedMethodsBecomePointsPerSigma() {
    Map<String, Score[]> gray = new LinkedHashMap<>();
    gray.put("noisy input", scores(24.6, 20.2, 14.2));
    gray.put("natural-gray", scores(32.1, 30.1, 27.1));
    gray.put("natural-fast", scores(31.4, 29.4, 26.4));
    Map<String, Double> fps = new LinkedHashMap<>();
    fps.put("natural-gray", 6.2);
    fps.put("natural-fast", 15.4);
    fps.put("not scored", 99.0);
    Chart c = SpeedChart.of(fps, gray, "2 threads");
    assertEquals(NaturalEval.SIGMAS.length, c.series().size());
    assertEquals("sigma 15", c.series().get(0).name());
    assertArrayEquals(new double[] {6.2, 15.4}, c.series().get(0).x());
    assertArrayEquals(new double[] {30.1, 29.4}, c.series().get(1).y(), 1e-9);
    assertArrayEquals(new String[] {"natural-gray", "natural-fast"}, c.series().get(0).labels());
    assertTrue(c.xAxis().max() < 99, "a method without a score is left out");
    assertTrue(c.yAxis().min() <= 26.4 && c.yAxis().max() >= 32.1);
    assertThrows(
        IllegalArgumentException.class, () -> SpeedChart.of(Map.of("x", 1.0), gray, "2 threads"));
  }
}
