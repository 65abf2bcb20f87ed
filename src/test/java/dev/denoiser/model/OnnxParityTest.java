package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.SampleDigits;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported graph, run by ONNX Runtime, computes what the DJL forward pass computes: max abs
 * difference at most 1e-4 on real digits and on random inputs, and at larger sizes (square and not)
 * for the fully convolutional architectures. DjlOps computes upsampling + convolution in the
 * sub-pixel form while the graph holds Resize + Conv, so this also checks that the two agree, with
 * and without the bottleneck convolutions, the U-Net skip and the input skip.
 */
class OnnxParityTest {
  static final double TOL = 1e-4;

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of(new NetSpec("linear", 64, 1, 8, 0)),
        Arguments.of(new NetSpec("conv-transpose", 8, 16, 0, 0)),
        Arguments.of(new NetSpec("conv-transpose", 8, 16, 0, 1)),
        Arguments.of(new NetSpec("conv-upsample", 8, 16, 0, 1)),
        Arguments.of(new NetSpec("conv-upsample", 8, 16, 0, 0, 2, true)),
        Arguments.of(new NetSpec("conv-upsample", 12, 8, 0, 4, 1, true)),
        Arguments.of(new NetSpec("conv-unpool", 8, 16, 0, 1)),
        Arguments.of(new NetSpec("vae", 8, 16, 4, 0)),
        Arguments.of(new NetSpec("unet-residual", 4, 8, 0, 0, 1, true)),
        Arguments.of(new NetSpec("unet-residual", 4, 8, 0, 0, 0, false, 3)),
        Arguments.of(new NetSpec("unet-residual-half", 4, 8, 0, 0, 2, true)),
        Arguments.of(new NetSpec("unet-residual", 8, 16, 0, 0, 1, false)),
        Arguments.of(new NetSpec("unet-residual-lite", 8, 16, 0, 0, 2, false)),
        Arguments.of(new NetSpec("unet-residual-lite", 4, 8, 0, 0, 1, true, 3)));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void ortMatchesDjl(NetSpec spec, @TempDir Path dir) {
    try (NetModel model = NetModel.init(spec, 7)) {
      ModelCard card =
          OnnxExporter.export(
              spec, model.weights(), OnnxExporter.card("parity", spec, 1, null), dir);
      assertEquals(OnnxExporter.sha256(dir.resolve(ModelCard.MODEL_FILE)), card.sha256());
      try (OrtModel ort = new OrtModel(dir.resolve(ModelCard.MODEL_FILE), 1)) {
        int n = 6;
        int c = spec.channels();
        if (c == 1) {
          compare(model, ort, SampleDigits.load().floats(0, n), n, 28, 28);
        }
        compare(model, ort, random(n * c * 28 * 28, 3), n, 28, 28);
        if (spec.arch().fullyConvolutional()) {
          compare(model, ort, random(3 * c * 64 * 48, 4), 3, 64, 48);
          compare(model, ort, random(2 * c * 64 * 64, 5), 2, 64, 64);
        }
      }
    }
  }

  private static void compare(NetModel model, OrtModel ort, float[] x, int n, int h, int w) {
    NetModel.Prediction a = model.predict(x, n, h, w);
    NetModel.Prediction b = ort.run(x, n, h, w);
    assertEquals(a.denoised().length, b.denoised().length);
    assertEquals(a.latent().length, b.latent().length);
    assertEquals(model.arch().latentDim(model.spec()), b.latentDim());
    double d = maxAbs(a.denoised(), b.denoised());
    double l = maxAbs(a.latent(), b.latent());
    assertTrue(
        d <= TOL, model.spec().architecture() + " denoised differs by " + d + " at " + h + "x" + w);
    assertTrue(
        l <= TOL, model.spec().architecture() + " latent differs by " + l + " at " + h + "x" + w);
  }

  static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  static float[] random(int len, long seed) {
    Random r = new Random(seed);
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }
}
