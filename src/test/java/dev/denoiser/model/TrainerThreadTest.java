package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import dev.denoiser.data.SampleDigits;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Training must work on any thread, not only the one that started the PyTorch engine. */
@Tag("slow")
class TrainerThreadTest {
  @Test
  void trainsOnAFreshThreadWhoseGradModeIsOn() throws Exception {
    Torch.engine();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Trainer.Result> f =
          pool.submit(
              () -> {
                JniUtils.setGradMode(true); // what a thread the engine did not start looks like
                ImageSet data = SampleDigits.load().head(64);
                TrainConfig cfg = TrainConfig.defaults(Noise.parse("gaussian:0.3")).withEpochs(1);
                return Trainer.train(
                    new NetSpec("conv-upsample", 4, 4, 0, 0), cfg, data, TrainListener.NONE, null);
              });
      Trainer.Result r = f.get();
      assertTrue(Double.isFinite(r.epochLoss().get(0)));
      r.model().close();
    } finally {
      pool.shutdownNow();
    }
  }
}
