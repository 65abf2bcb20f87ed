package dev.denoiser.model;

/**
 * The operations an architecture is written in, over a tensor type {@code T}. There are two
 * implementations: {@link DjlOps} computes with DJL arrays (training and the reference forward
 * pass) and {@link OnnxOps} emits ONNX nodes (export). An architecture's forward pass is written
 * once against this interface, so the exported graph matches the trained network by construction.
 *
 * <p>Parameters are referred to by layer name: a layer {@code enc1} uses {@code enc1.w} and {@code
 * enc1.b}. Tensors are NCHW.
 */
public interface Ops<T> {
  /** Max-pooling output: the pooled values and whatever the unpooling needs (the indices). */
  record Pooled<T>(T values, T indices) {}

  /** 3x3 convolution, padding 1, the given stride; weight [out,in,3,3]. */
  T conv(T x, String layer, int stride);

  /** 3x3 transposed convolution, stride 2, padding 1, output padding 1 (doubles H and W). */
  T convTranspose(T x, String layer);

  /** Nearest-neighbour upsampling by 2. */
  T upsample(T x);

  /**
   * Nearest-neighbour upsampling by 2, then a 3x3 stride-1 convolution (padding 1): by definition
   * {@code conv(upsample(x), layer, 1)}. Training and the exported graph both compute the same
   * function more cheaply, in the sub-pixel form of {@link SubPixel}.
   */
  default T upsampleConv(T x, String layer) {
    return conv(upsample(x), layer, 1);
  }

  /**
   * A 1x1 convolution (weight [out,in,1,1]) then nearest-neighbour upsampling by 2; the same as
   * upsampling first, at a quarter of the multiply-adds. Every output phase gets the same value, so
   * the detail has to come from a skip connection.
   */
  T conv1x1Up(T x, String layer);

  /** 2x2 max pooling, stride 2, keeping the argmax (the first maximum wins ties). */
  Pooled<T> maxPool(T x);

  /** Max unpooling by 2: puts each value where its pooling's maximum was, zeros elsewhere. */
  T unpool(T x, Pooled<T> pooled);

  /** Fully connected layer on [N,in]; weight [out,in]. */
  T dense(T x, String layer);

  T relu(T x);

  /** [N,...] to [N,rest]. */
  T flatten(T x);

  /** [N,c*h*w] to [N,c,h,w]. */
  T reshape(T x, int c, int h, int w);

  /** [N,C,H,W] to [N,C]: the mean over H and W. */
  T globalAvgPool(T x);

  T add(T a, T b);

  /**
   * The VAE's reparameterisation: mu + exp(logvar/2) * eps while training, mu at inference and in
   * the exported graph.
   */
  T sample(T mu, T logvar);
}
