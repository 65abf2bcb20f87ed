package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import dev.denoiser.data.SampleDigits;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Short training runs on the shipped sample digits: the loss goes down, a fixed seed gives
 * bit-identical weights, and stopping after an epoch then resuming from the checkpoint ends where
 * an uninterrupted run ends (with a constant and with a cosine learning rate).
 */
@Tag("slow")
class TrainerTest {
  static final NetSpec SMALL = new NetSpec("conv-upsample", 8, 16, 0, 1);
  static final ImageSet DATA = SampleDigits.load().head(384);

  static TrainConfig cfg(int epochs, long seed) {
    return new TrainConfig(epochs, 64, 3e-3, Noise.gaussian(0.3), seed, 1, 0, 1.0);
  }

  static boolean sameWeights(Weights a, Weights b) {
    for (Map.Entry<String, Weights.Tensor> e : a.asMap().entrySet()) {
      if (!Arrays.equals(e.getValue().data(), b.get(e.getKey()).data())) {
        return false;
      }
    }
    return true;
  }

  @Test
  void lossGoesDown() {
    double[] first = {Double.NaN};
    Trainer.Result r =
        Trainer.train(
            SMALL,
            cfg(3, 1),
            DATA,
            new TrainListener() {
              @Override
              public void stepDone(int epoch, int step, double loss, double speed) {
                if (epoch == 0 && step == 0) {
                  first[0] = loss;
                }
              }
            },
            null);
    try (NetModel m = r.model()) {
      assertEquals(3, r.epochLoss().size());
      assertTrue(r.epochLoss().get(2) < r.epochLoss().get(0), r.epochLoss().toString());
      assertTrue(r.epochLoss().get(2) < 0.8 * first[0], first[0] + " -> " + r.epochLoss());
      assertTrue(r.imagesPerSecond() > 0);
    }
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    Weights a;
    Weights b;
    Weights c;
    try (NetModel m = Trainer.train(SMALL, cfg(1, 5), DATA, TrainListener.NONE, null).model()) {
      a = m.weights();
    }
    try (NetModel m = Trainer.train(SMALL, cfg(1, 5), DATA, TrainListener.NONE, null).model()) {
      b = m.weights();
    }
    try (NetModel m = Trainer.train(SMALL, cfg(1, 6), DATA, TrainListener.NONE, null).model()) {
      c = m.weights();
    }
    assertTrue(sameWeights(a, b));
    assertFalse(sameWeights(a, c));
  }

  @Test
  void resumingFromACheckpointMatchesAnUninterruptedRun(@TempDir Path dir) {
    Weights straight;
    try (NetModel m = Trainer.train(SMALL, cfg(2, 9), DATA, TrainListener.NONE, null).model()) {
      straight = m.weights();
    }
    Path ck = dir.resolve(Checkpoint.FILE);
    Trainer.train(SMALL, cfg(1, 9), DATA, TrainListener.NONE, ck).model().close();
    assertEquals(1, Checkpoint.read(ck).epochsDone());
    Trainer.Result resumed = Trainer.train(SMALL, cfg(2, 9), DATA, TrainListener.NONE, ck);
    try (NetModel m = resumed.model()) {
      assertTrue(sameWeights(straight, m.weights()));
      assertEquals(2, resumed.epochLoss().size());
      assertEquals(2, Checkpoint.read(ck).epochsDone());
    }
  }

  @Test
  void anInterruptedCosineRunResumesToTheSameWeights(@TempDir Path dir) {
    NetSpec unet = new NetSpec("conv-upsample", 8, 8, 0, 0, 1, true);
    TrainConfig cosine = cfg(2, 4).withFinalLearningRate(1e-4);
    Weights straight;
    try (NetModel m = Trainer.train(unet, cosine, DATA, TrainListener.NONE, null).model()) {
      straight = m.weights();
    }
    try (NetModel m = Trainer.train(unet, cfg(2, 4), DATA, TrainListener.NONE, null).model()) {
      assertFalse(sameWeights(straight, m.weights()), "the schedule changed nothing");
    }
    Path ck = dir.resolve(Checkpoint.FILE);
    TrainListener stopInEpochTwo =
        new TrainListener() {
          @Override
          public void epochStarted(int epoch, int epochs, int steps) {
            if (epoch == 1) {
              throw new IllegalStateException("interrupted");
            }
          }
        };
    assertThrows(
        IllegalStateException.class, () -> Trainer.train(unet, cosine, DATA, stopInEpochTwo, ck));
    assertEquals(1, Checkpoint.read(ck).epochsDone());
    try (NetModel m = Trainer.train(unet, cosine, DATA, TrainListener.NONE, ck).model()) {
      assertTrue(sameWeights(straight, m.weights()));
    }
  }

  /** Arrays derived from the parameters each step (folded, flipped kernels) do not pile up. */
  @ParameterizedTest
  @ValueSource(strings = {"conv-upsample", "conv-transpose"})
  void trainingAndPredictingLeaveNothingOnTheModelsManager(String arch) {
    NetSpec spec =
        "conv-upsample".equals(arch)
            ? new NetSpec(arch, 8, 8, 0, 4, 1, true)
            : new NetSpec(arch, 8, 8, 0, 1);
    int[] arrays = new int[2];
    for (int e = 1; e <= 2; e++) {
      try (NetModel m =
          Trainer.train(spec, cfg(2 * e - 1, 5), DATA, TrainListener.NONE, null).model()) {
        for (int i = 0; i < 3 * e; i++) {
          m.predict(DATA.image(i), 1, 28, 28);
        }
        arrays[e - 1] = m.manager().getManagedArrays().size();
      }
    }
    assertEquals(
        arrays[0],
        arrays[1],
        "1 epoch and 3 predictions left "
            + arrays[0]
            + " arrays, 3 epochs and 6 predictions "
            + arrays[1]);
  }

  /** Mean per-image PSNR (dB) of the model's output on the first n sample digits at noise. */
  static double meanPsnr(NetModel m, int n, Noise noise) {
    float[] clean = DATA.floats(0, n);
    float[] noisy = new float[clean.length];
    noise.applyImages(clean, noisy, n, 784, new java.util.SplittableRandom(77));
    return Metrics.meanPsnrSsim(m.predict(noisy, n, 28, 28).denoised(), clean, n, 28, 28)[0];
  }

  @Test
  void thePsnrLossIsMinusTheMeanPsnrEvalReports() {
    int n = 16;
    float[] clean = DATA.floats(0, n);
    float[] noisy = new float[clean.length];
    Noise.gaussian(0.3).applyImages(clean, noisy, n, 784, new java.util.SplittableRandom(3));
    try (NetModel m = NetModel.init(SMALL, 2);
        ai.djl.ndarray.NDManager sub = m.manager().newSubManager()) {
      ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(n, 1, 28, 28);
      double loss =
          Trainer.psnrLoss(
                  m.forward(sub.create(noisy, shape), null).logits(), sub.create(clean, shape))
              .getFloat();
      double eval =
          Metrics.meanPsnrSsim(m.predict(noisy, n, 28, 28).denoised(), clean, n, 28, 28)[0];
      assertEquals(-eval, loss, 1e-3);
    }
  }

  @Test
  void theResidualPsnrLossWeighsEachImageByItsOwnError() {
    try (ai.djl.ndarray.NDManager nd = ai.djl.ndarray.NDManager.newBaseManager()) {
      ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(2, 1, 4, 4);
      float[] clean = new float[32];
      float[] out = new float[32];
      for (int i = 0; i < 16; i++) {
        out[i] = 0.01f; // image 0: MSE 1e-4
        out[16 + i] = 0.1f; // image 1: MSE 1e-2
      }
      double loss =
          Trainer.psnrLossOfImages(nd.create(out, shape), nd.create(clean, shape)).getFloat();
      double floor = Trainer.IMAGE_PSNR_FLOOR;
      double expected = (10 * Math.log10(1e-4 + floor) + 10 * Math.log10(1e-2 + floor)) / 2;
      assertEquals(expected, loss, 1e-3);
    }
  }

  @Test
  void fineTuningWithThePsnrLossRaisesThePsnr() {
    Noise noise = Noise.gaussian(0.3);
    Trainer.Result bce = Trainer.train(SMALL, cfg(2, 8), DATA, TrainListener.NONE, null);
    double before;
    Weights start;
    try (NetModel m = bce.model()) {
      before = meanPsnr(m, 128, noise);
      start = m.weights();
    }
    TrainConfig psnr =
        new TrainConfig(2, 64, 5e-4, noise, 8, 1, 0, 1.0, 5e-4, TrainConfig.Loss.PSNR);
    Trainer.Result tuned = Trainer.train(SMALL, start, psnr, DATA, TrainListener.NONE, null);
    try (NetModel m = tuned.model()) {
      double after = meanPsnr(m, 128, noise);
      assertTrue(tuned.epochLoss().get(1) < 0, "loss in minus dB: " + tuned.epochLoss());
      assertTrue(after > before + 0.05, before + " dB -> " + after + " dB");
    }
  }

  @Test
  void theLossIsPartOfTheConfigAndOldCardsMeanCrossEntropy() {
    TrainConfig psnr = cfg(1, 1).withLoss(TrainConfig.Loss.PSNR);
    assertEquals(TrainConfig.Loss.PSNR, TrainConfig.fromJson(psnr.toJson()).loss());
    assertEquals(TrainConfig.Loss.BCE, TrainConfig.fromJson(cfg(1, 1).toJson()).loss());
    io.vertx.core.json.JsonObject old = cfg(1, 1).toJson();
    old.remove("loss");
    assertEquals(TrainConfig.Loss.BCE, TrainConfig.fromJson(old).loss());
    assertEquals(TrainConfig.Loss.PSNR, TrainConfig.Loss.parse("psnr"));
    assertThrows(ModelException.class, () -> TrainConfig.Loss.parse("l1"));
    assertEquals(TrainConfig.Loss.MSE, TrainConfig.Loss.parse("mse"));
    ModelException mse =
        assertThrows(
            ModelException.class,
            () ->
                Trainer.train(
                    new NetSpec("conv-upsample", 8, 8, 0, 0),
                    cfg(1, 1).withLoss(TrainConfig.Loss.MSE),
                    DATA,
                    TrainListener.NONE,
                    null));
    assertTrue(mse.getMessage().contains("residual"), mse.getMessage());
    ModelException e =
        assertThrows(
            ModelException.class,
            () ->
                Trainer.train(
                    new NetSpec("vae", 8, 8, 2, 0), psnr, DATA, TrainListener.NONE, null));
    assertTrue(e.getMessage().contains("psnr"), e.getMessage());
  }

  @Test
  void vaeTrainsWithTheKlTerm() {
    NetSpec vae = new NetSpec("vae", 8, 8, 2, 0);
    Trainer.Result r = Trainer.train(vae, cfg(2, 3), DATA, TrainListener.NONE, null);
    try (NetModel m = r.model()) {
      assertTrue(Double.isFinite(r.epochLoss().get(1)));
      assertTrue(r.epochLoss().get(1) < r.epochLoss().get(0), r.epochLoss().toString());
      float[] x = DATA.floats(0, 2);
      NetModel.Prediction p = m.predict(x, 2, 28, 28);
      assertEquals(4, p.latent().length);
      // Inference decodes mu: no sampling, so two calls agree exactly.
      assertArrayEquals(p.denoised(), m.predict(x, 2, 28, 28).denoised());
    }
  }
}
