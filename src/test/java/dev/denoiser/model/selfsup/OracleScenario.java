package dev.denoiser.model.selfsup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.denoiser.data.Noise;
import dev.denoiser.data.VideoFrames;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.OnnxExporter;
import dev.denoiser.model.OnnxImporter;
import dev.denoiser.model.OrtModel;
import dev.denoiser.model.TrainConfig;
import dev.denoiser.model.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bound of the refresh scenario: the same fine-tune as {@link RefreshScenario}'s on the same
 * training frames, but with their clean versions as targets (what no feed has). It says how much
 * any objective could gain from these frames with this network and budget.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.denoiser.model.selfsup.OracleScenario \
 *     STEPS [SIGMA] [TRAIN_EVERY] [EVAL_FRAMES] [LR] [BATCH]
 * </pre>
 */
public final class OracleScenario {
  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(args[0]);
    double sigma = args.length > 1 ? Double.parseDouble(args[1]) : 75;
    int trainEvery = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int evalCount = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    double lr = args.length > 4 ? Double.parseDouble(args[4]) : 1e-4;
    int batch = args.length > 5 ? Integer.parseInt(args[5]) : 16;
    List<Frame> noisy = new ArrayList<>();
    List<Frame> clean = new ArrayList<>();
    try (VideoFrames v = VideoFrames.open(RefreshScenario.VIDEO, 768, 576)) {
      byte[] b;
      int k = 0;
      while ((b = v.next()) != null && k < 600) {
        if (k % trainEvery == 0) {
          Frame c = RefreshScenario.toFrame(b, 576, 768);
          clean.add(c);
          noisy.add(RefreshScenario.noisy(c, sigma, 1000 + k));
        }
        k++;
      }
    }
    RefreshScenario.Split s = RefreshScenario.split(sigma, 600, evalCount);
    RefreshOptions o = RefreshOptions.defaults().withBatch(batch, 64);
    SelfSupervisedRefresh.Patches crops = new SelfSupervisedRefresh.Patches(noisy, 1);
    Trainer.StepLoss loss =
        (NDManager scope, java.util.function.UnaryOperator<NDArray> net, long step) -> {
          int p = o.patch();
          int[] idx = new int[p * p];
          float[] in = new float[batch * p * p];
          float[] target = new float[batch * p * p];
          for (int k = 0; k < batch; k++) {
            int[] c = crops.crop(p);
            SelfSupervisedRefresh.Patches.indices(c, 768, p, idx);
            float[] n = noisy.get(c[0]).pixels();
            float[] t = clean.get(c[0]).pixels();
            for (int i = 0; i < idx.length; i++) {
              in[k * p * p + i] = n[idx[i]];
              target[k * p * p + i] = t[idx[i]];
            }
          }
          Shape shape = new Shape(batch, 1, p, p);
          return net.apply(scope.create(in, shape))
              .sub(scope.create(target, shape))
              .square()
              .mean();
        };
    OnnxImporter.Imported im = OnnxImporter.read(RefreshScenario.SERVING);
    TrainConfig cfg =
        new TrainConfig(1, batch, lr, Noise.gaussian(0), 1, 1, 0, 1.0, 1e-5, TrainConfig.Loss.MSE);
    long t0 = System.nanoTime();
    Trainer.Result r =
        Trainer.fineTune(im.spec(), im.weights(), cfg, steps, loss, RefreshScenario.stepLog(100));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Path cand = Files.createTempFile("oracle", ".onnx");
    Files.write(cand, OnnxExporter.toBytes(im.spec(), r.model().weights(), im.metadata()));
    r.model().close();
    try (OrtModel serving = new OrtModel(RefreshScenario.SERVING, 1);
        OrtModel candidate = new OrtModel(cand, 1)) {
      double ts = ClippedSure.truePsnr(Denoiser.of(serving), s.evalNoisy(), s.evalClean());
      double tc = ClippedSure.truePsnr(Denoiser.of(candidate), s.evalNoisy(), s.evalClean());
      System.out.printf(
          "| clean targets (bound) | %.0f | %d frames | %dx%d | lr %.0e | %.0f s | %.2f | %.2f | %+.2f |%n",
          sigma, noisy.size(), steps, batch, lr, seconds, ts, tc, tc - ts);
    } finally {
      Files.deleteIfExists(cand);
    }
  }
}
