package dev.denoiser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The baseline: ONNX Runtime's Java API called directly on a model file, one thread, no Vert.x, no
 * DJL, no copies beyond the input tensor. What the service's overhead is measured against.
 */
public final class RawOrt implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;

  public RawOrt(Path onnx, int intraOpThreads) throws OrtException {
    env = dev.denoiser.model.OrtEnv.get();
    OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    opts.setIntraOpNumThreads(intraOpThreads);
    opts.setInterOpNumThreads(1);
    opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    opts.addConfigEntry("session.intra_op.allow_spinning", "0"); // as the service does
    session = env.createSession(onnx.toString(), opts);
  }

  /**
   * Runs batches of {@code batch} gray frames of {@code frames} for {@code seconds}, after a
   * warm-up.
   */
  public Stats measure(List<float[]> frames, int h, int w, int batch, double seconds)
      throws OrtException {
    return measure(frames, 1, h, w, batch, seconds);
  }

  /** The same for frames of {@code channels} planes (1 gray, 3 RGB). */
  public Stats measure(List<float[]> frames, int channels, int h, int w, int batch, double seconds)
      throws OrtException {
    ByteBuffer bb =
        ByteBuffer.allocateDirect(batch * channels * h * w * 4).order(ByteOrder.nativeOrder());
    FloatBuffer fb = bb.asFloatBuffer();
    for (int i = 0; i < batch; i++) {
      fb.put(frames.get(i % frames.size()));
    }
    fb.flip();
    long[] shape = {batch, channels, h, w};
    Histogram hist = Stats.newHistogram();
    long warmEnd = System.nanoTime() + 500_000_000L;
    while (System.nanoTime() < warmEnd) {
      runOnce(fb, shape);
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long runs = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      runOnce(fb, shape);
      hist.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
      runs++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return Stats.of(hist, runs * batch, elapsed, 0);
  }

  private void runOnce(FloatBuffer fb, long[] shape) throws OrtException {
    fb.rewind();
    try (OnnxTensor x = OnnxTensor.createTensor(env, fb, shape);
        OrtSession.Result r = session.run(Map.of("noisy", x))) {
      float[] sink = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
      if (sink.length == 0) {
        throw new IllegalStateException("empty output");
      }
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
