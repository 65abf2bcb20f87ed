package dev.denoiser.model.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.denoiser.model.OrtEnv;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A model.onnx run through ONNX Runtime on a whole image: input {@code noisy} [1,C,H,W] float32 in
 * [0,1], output {@code denoised} [1,C,H,W]. The image is reflect-padded on the bottom and right to
 * the model's size multiple and the output cropped back. A gray model on an RGB image runs on each
 * channel; an RGB model on a gray image gets the gray plane three times and returns their mean. Not
 * thread-safe; close it.
 */
public final class OnnxDenoiser implements Denoiser, AutoCloseable {
  private static final String INPUT = "noisy";
  private static final String OUTPUT = "denoised";
  private final ModelInfo info;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int threads;

  /** Opens the model with {@code threads} intra-op threads (0: ONNX Runtime's default). */
  public OnnxDenoiser(ModelInfo info, int threads) {
    this.info = info;
    this.threads = threads;
    this.env = OrtEnv.get();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        opts.setIntraOpNumThreads(threads);
      }
      opts.setInterOpNumThreads(1);
      session = env.createSession(info.onnx().toString(), opts);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime cannot load " + info.onnx() + ": " + e.getMessage(), e);
    }
  }

  public ModelInfo info() {
    return info;
  }

  public int threads() {
    return threads;
  }

  @Override
  public String name() {
    return info.name();
  }

  @Override
  public Image denoise(Image noisy) {
    int c = info.channels();
    if (noisy.channels() == c) {
      return run(noisy);
    }
    if (c == 1) {
      return noisy.perChannel(this::run);
    }
    if (noisy.channels() == 1) {
      int n = noisy.plane();
      float[] three = new float[3 * n];
      for (int k = 0; k < 3; k++) {
        System.arraycopy(noisy.data(), 0, three, k * n, n);
      }
      float[] out = run(new Image(noisy.width(), noisy.height(), 3, three)).data();
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (out[i] + out[n + i] + out[2 * n + i]) / 3f;
      }
      return new Image(noisy.width(), noisy.height(), 1, g);
    }
    throw new IllegalArgumentException(
        "model " + name() + " takes " + c + " channels, got " + noisy.channels());
  }

  /** One forward pass on an image whose channel count is the model's. */
  private Image run(Image img) {
    Image padded = Reflect.padToMultiple(img, info.sizeMultiple());
    float[] in = padded.data().clone();
    for (int i = 0; i < in.length; i++) {
      in[i] /= 255f;
    }
    int c = padded.channels();
    long[] shape = {1, c, padded.height(), padded.width()};
    float[] out = new float[in.length];
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(in), shape);
        OrtSession.Result r = session.run(Map.of(INPUT, t), Set.of(OUTPUT))) {
      OnnxTensor den = (OnnxTensor) r.get(OUTPUT).orElseThrow();
      FloatBuffer fb = den.getFloatBuffer();
      if (fb.remaining() != out.length) {
        throw new IllegalStateException(
            "model "
                + name()
                + " returned "
                + fb.remaining()
                + " values for an input of "
                + out.length);
      }
      fb.get(out);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on " + name() + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] *= 255f;
    }
    Image result = new Image(padded.width(), padded.height(), c, out);
    return result.width() == img.width() && result.height() == img.height()
        ? result
        : result.crop(0, 0, img.width(), img.height());
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX Runtime session: " + e.getMessage(), e);
    }
  }
}
