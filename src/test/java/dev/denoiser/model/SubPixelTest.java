package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The sub-pixel form DjlOps trains with computes what the literal graph computes: nearest
 * upsampling then a 3x3 convolution, on random inputs and weights, at even and odd sizes, with
 * several output widths; and it gives the same gradients for the weight, the bias and the input.
 */
class SubPixelTest {
  static final float TOL = 1e-4f;

  @ParameterizedTest
  @CsvSource({"3,1,7,7", "4,5,14,14", "2,3,5,3", "8,4,1,2"})
  void sameOutputAndGradientsAsUpsampleThenConv(int in, int out, int h, int w) {
    Torch.noGradOnThisThread();
    try (NDManager m = Torch.newManager()) {
      NDArray weight = random(m, new Shape(out, in, 3, 3), 1);
      NDArray bias = random(m, new Shape(out), 2);
      NDArray x = random(m, new Shape(2, in, h, w), 3);
      NDArray target = random(m, new Shape(2, out, 2 * h, 2 * w), 4);
      float[][] literal = run(m, x, weight, bias, target, false);
      float[][] folded = run(m, x, weight, bias, target, true);
      String[] what = {"output", "weight gradient", "bias gradient", "input gradient"};
      for (int i = 0; i < what.length; i++) {
        assertTrue(literal[i].length > 0);
        assertArrayEquals(literal[i], folded[i], TOL * scale(literal[i]), what[i]);
      }
    }
  }

  /** Output and gradients of sum(f(x) * target), by the literal form or the folded one. */
  private static float[][] run(
      NDManager m, NDArray x0, NDArray w0, NDArray b0, NDArray target, boolean folded) {
    NDArray x = x0.duplicate();
    NDArray w = w0.duplicate();
    NDArray b = b0.duplicate();
    for (NDArray a : new NDArray[] {x, w, b}) {
      a.setRequiresGradient(true);
    }
    DjlOps ops = new DjlOps(Map.of("l.w", w, "l.b", b), null);
    NDArray y;
    try (GradientCollector gc = Torch.engine().newGradientCollector()) {
      y = folded ? ops.upsampleConv(x, "l") : ops.conv(ops.upsample(x), "l", 1);
      gc.backward(y.mul(target).sum());
    }
    return new float[][] {
      y.toFloatArray(),
      w.getGradient().toFloatArray(),
      b.getGradient().toFloatArray(),
      x.getGradient().toFloatArray()
    };
  }

  private static NDArray random(NDManager m, Shape s, long seed) {
    return m.create(OnnxParityTest.random((int) s.size(), seed), s).sub(0.5f);
  }

  private static float scale(float[] a) {
    float s = 1;
    for (float v : a) {
      s = Math.max(s, Math.abs(v));
    }
    return s;
  }
}
