package dev.denoiser.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * One ONNX Runtime run for a whole batch: packs N same-shape frames into one [N,1,H,W] float32
 * tensor named {@code noisy} and splits the {@code denoised} [N,1,H,W] and {@code latent} [N,D]
 * outputs back per frame. DJL's default stacking batchifier is not used (it needs a second engine
 * for NDArray ops); the buffer is built here, reusing one direct buffer per thread.
 */
final class FrameBatchTranslator implements NoBatchifyTranslator<List<Frame>, FrameBatchTranslator.Output> {
  private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();

  /** Per-frame outputs; {@code denoised[i]} has the pixels of frame i, {@code latent[i]} its code. */
  record Output(float[][] denoised, float[][] latent) {}

  @Override
  public NDList processInput(TranslatorContext ctx, List<Frame> frames) {
    Frame first = frames.get(0);
    int n = frames.size();
    int hw = first.pixelCount();
    FloatBuffer fb = buffer((long) n * hw);
    for (Frame f : frames) {
      if (!f.sameShape(first)) {
        throw new IllegalArgumentException("a batch must hold frames of one shape");
      }
      fb.put(f.pixels());
    }
    fb.flip();
    NDArray x = ctx.getNDManager().create(fb, new Shape(n, 1, first.height(), first.width()), DataType.FLOAT32);
    x.setName(ModelCard.INPUT);
    return new NDList(x);
  }

  @Override
  public Output processOutput(TranslatorContext ctx, NDList list) {
    NDArray den = list.get(ModelCard.OUTPUT_DENOISED);
    NDArray lat = list.get(ModelCard.OUTPUT_LATENT);
    if (den == null || lat == null) {
      throw new IllegalStateException("model outputs must be 'denoised' and 'latent', got " + list.getShapes());
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
