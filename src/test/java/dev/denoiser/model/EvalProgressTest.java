package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.Noise;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/**
 * {@code eval}'s progress: the evaluation of a shipped model through ONNX Runtime reports every
 * image it denoises, the counts add up to the announced total, and the bar shows the count and
 * images per second.
 */
class EvalProgressTest {
  @Test
  void theBarCountsEveryDenoisedImage() {
    ImageSet test = Mnist.locate(null).test().head(600);
    List<Noise> noises = List.of(Noise.parse("gaussian:0.5"), Noise.parse("sp:0.1"));
    Map<String, Path> models = Map.of("conv-upsample", Path.of("models/conv-upsample/model.onnx"));
    long work = Evaluator.work(test, noises, models);
    assertEquals(600L * 2 * (1 + Evaluator.BLUR_SIGMAS.length + 1), work);

    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicLong steps = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    Map<String, Map<String, Evaluator.Score>> table;
    try (ProgressBar bar =
        Progress.images("eval", work, new DelegatingProgressBarConsumer(lines::add, 120))) {
      table =
          Evaluator.table(
              test,
              noises,
              models,
              n -> {
                steps.addAndGet(n);
                calls.incrementAndGet();
                bar.stepBy(n);
              });
      assertEquals(work, bar.getCurrent());
      Progress.say(bar, "gray median");
    }
    assertEquals(work, steps.get(), "the steps add up to the total");
    assertTrue(calls.get() >= 2 * (2 + 600 / 250), "the model reports each run: " + calls);
    // The model's scores are those of the plain call: reporting changed nothing.
    Evaluator.Corrupted c = Evaluator.Corrupted.of(test, noises.get(0), Evaluator.SEED);
    assertEquals(
        Evaluator.onnx(models.get("conv-upsample"), c).psnr(),
        table.get("conv-upsample").get("gaussian:0.5").psnr(),
        1e-9);
    assertFalse(lines.isEmpty(), "the bar was drawn");
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains("eval"), last);
    assertTrue(last.contains(work + "/" + work), "the count: " + last);
    assertTrue(last.contains("img/s gray median"), "the speed in images per second: " + last);
  }
}
