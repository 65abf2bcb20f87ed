package dev.denoiser.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An exported model run through ONNX Runtime (CPU), for evaluation and parity checks: images in
 * [0,1] in, denoised images and latents out, in batches. Not thread-safe; close it.
 */
public final class OrtModel implements AutoCloseable {
  private final OrtEnvironment env = dev.denoiser.model.OrtEnv.get();
  private final OrtSession session;
  private final int channels;

  public OrtModel(Path onnx, int threads) {
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        opts.setIntraOpNumThreads(threads);
      }
      opts.setInterOpNumThreads(1);
      session = env.createSession(onnx.toString(), opts);
      long[] shape =
          ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(ModelCard.INPUT).getInfo())
              .getShape();
      channels = shape.length == 4 && shape[1] > 0 ? (int) shape[1] : 1;
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime cannot load " + onnx + ": " + e.getMessage(), e);
    }
  }

  /** Channels of the model's input and output (1 gray, 3 RGB). */
  public int channels() {
    return channels;
  }

  /**
   * Runs {@code n} images of {@link #channels()} x h x w; returns denoised [n*c*h*w] and latents
   * [n*D].
   */
  public NetModel.Prediction run(float[] pixels, int n, int h, int w) {
    try (OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, channels, h, w});
        OrtSession.Result r = session.run(Map.of(ModelCard.INPUT, in))) {
      OnnxTensor den = (OnnxTensor) r.get(ModelCard.OUTPUT_DENOISED).orElseThrow();
      OnnxTensor lat = (OnnxTensor) r.get(ModelCard.OUTPUT_LATENT).orElseThrow();
      float[] d = new float[n * channels * h * w];
      den.getFloatBuffer().get(d);
      FloatBuffer lb = lat.getFloatBuffer();
      float[] l = new float[lb.remaining()];
      lb.get(l);
      return new NetModel.Prediction(d, l, n == 0 ? 0 : l.length / n);
    } catch (OrtException e) {
      throw new ModelException("ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  /** Runs a whole set in batches of {@code batch}; returns only the denoised pixels. */
  public float[] denoise(float[] pixels, int n, int h, int w, int batch) {
    int px = channels * h * w;
    float[] out = new float[n * px];
    for (int from = 0; from < n; from += batch) {
      int b = Math.min(batch, n - from);
      float[] chunk = new float[b * px];
      System.arraycopy(pixels, from * px, chunk, 0, b * px);
      System.arraycopy(run(chunk, b, h, w).denoised(), 0, out, from * px, b * px);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new ModelException("cannot close ONNX Runtime session: " + e.getMessage(), e);
    }
  }
}
