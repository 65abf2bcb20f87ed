package dev.denoiser.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.denoiser.model.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * One ONNX Runtime run for a whole batch: packs N same-shape model inputs (see {@link FrameShaper})
 * into one [N,C,H,W] float32 tensor named {@code noisy} and splits the {@code denoised} [N,C,H,W]
 * and {@code latent} [N,D] outputs back per input. DJL's default stacking batchifier is not used
 * (it needs a second engine for NDArray ops); the buffer is built here, reusing one direct buffer
 * per thread.
 */
final class FrameBatchTranslator
    implements NoBatchifyTranslator<FrameBatchTranslator.Input, FrameBatchTranslator.Output> {
  private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();

  /** Inputs of one shape [channels, height, width]: {@code pieces[from..to)}. */
  record Input(List<float[]> pieces, int from, int to, int channels, int height, int width) {}

  /**
   * Per-input outputs; {@code denoised[i]} has the pixels of input i, {@code latent[i]} its code.
   */
  record Output(float[][] denoised, float[][] latent) {}

  @Override
  public NDList processInput(TranslatorContext ctx, Input in) {
    int n = in.to() - in.from();
    int per = in.channels() * in.height() * in.width();
    FloatBuffer fb = buffer((long) n * per);
    for (int i = in.from(); i < in.to(); i++) {
      float[] p = in.pieces().get(i);
      if (p.length != per) {
        throw new IllegalArgumentException("a batch must hold inputs of one shape");
      }
      fb.put(p);
    }
    fb.flip();
    NDArray x =
        ctx.getNDManager()
            .create(fb, new Shape(n, in.channels(), in.height(), in.width()), DataType.FLOAT32);
    x.setName(ModelCard.INPUT);
    return new NDList(x);
  }

  @Override
  public Output processOutput(TranslatorContext ctx, NDList list) {
    NDArray den = list.get(ModelCard.OUTPUT_DENOISED);
    NDArray lat = list.get(ModelCard.OUTPUT_LATENT);
    if (den == null || lat == null) {
      throw new IllegalStateException(
          "model outputs must be 'denoised' and 'latent', got " + list.getShapes());
    }
    return new Output(split(den), split(lat));
  }

  private static float[][] split(NDArray a) {
    long n = a.getShape().get(0);
    float[] all = a.toFloatArray();
    int per = (int) (all.length / n);
    float[][] out = new float[(int) n][per];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all, i * per, out[i], 0, per);
    }
    return out;
  }

  private FloatBuffer buffer(long floats) {
    ByteBuffer b = buffers.get();
    long bytes = floats * Float.BYTES;
    if (b == null || b.capacity() < bytes) {
      b = ByteBuffer.allocateDirect((int) Math.max(bytes, 1 << 16)).order(ByteOrder.nativeOrder());
      buffers.set(b);
    }
    b.clear();
    FloatBuffer fb = b.asFloatBuffer();
    fb.limit((int) floats);
    return fb;
  }
}
