package dev.denoiser.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@link Ops} computed with DJL arrays on the PyTorch engine. Everything here is differentiable
 * with the engine's autograd, built only from operations the PyTorch engine implements: the
 * transposed convolution is a zero-insertion followed by an ordinary convolution with the kernel
 * flipped and its in/out axes swapped (DJL's PyTorch engine has no deconvolution), and max pooling
 * with indices is an argmax over each 2x2 window turned into a one-hot mask. Upsampling followed by
 * a convolution runs in the equivalent sub-pixel form ({@link SubPixel}).
 */
public final class DjlOps implements Ops<NDArray> {
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);

  private final Map<String, NDArray> params;
  private final SplittableRandom sampler;

  /**
   * @param params the network's parameters by name
   * @param sampler the generator for the VAE's noise while training, or null for inference (the VAE
   *     then decodes mu)
   */
  public DjlOps(Map<String, NDArray> params, SplittableRandom sampler) {
    this.params = params;
    this.sampler = sampler;
  }

  private NDArray p(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new ModelException("no parameter '" + name + "'");
    }
    return a;
  }

  @Override
  public NDArray conv(NDArray x, String layer, int stride) {
    Shape s = stride == 1 ? ONE : new Shape(stride, stride);
    return Conv2d.conv2d(x, p(layer + ".w"), p(layer + ".b"), s, ONE).singletonOrThrow();
  }

  @Override
  public NDArray convTranspose(NDArray x, String layer) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    NDArray cols = x.reshape(n, c, h, 1, w, 1);
    NDArray wide = NDArrays.concat(new NDList(cols, cols.zerosLike()), 5);
    NDArray full = NDArrays.concat(new NDList(wide, wide.zerosLike()), 3);
    NDArray spread = full.reshape(n, c, 2 * h, 2 * w);
    NDArray kernel = p(layer + ".w").flip(2, 3).transpose(1, 0, 2, 3);
    return Conv2d.conv2d(spread, kernel, p(layer + ".b"), ONE, ONE).singletonOrThrow();
  }

  @Override
  public NDArray upsample(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w);
  }

  /** The sub-pixel form (see {@link SubPixel}): no upsampled map, no one-channel full-res conv. */
  @Override
  public NDArray upsampleConv(NDArray x, String layer) {
    return SubPixel.upsampleConv(x, p(layer + ".w"), p(layer + ".b"));
  }

  @Override
  public NDArray conv1x1Up(NDArray x, String layer) {
    return upsample(Conv2d.conv2d(x, p(layer + ".w"), p(layer + ".b")).singletonOrThrow());
  }

  @Override
  public Pooled<NDArray> maxPool(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2) / 2;
    long w = s.get(3) / 2;
    NDArray windows =
        x.reshape(n, c, h, 2, w, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w, 4);
    NDArray mask = windows.argMax(4).oneHot(4, DataType.FLOAT32);
    return new Pooled<>(windows.mul(mask).sum(new int[] {4}), mask);
  }

  @Override
  public NDArray unpool(NDArray x, Pooled<NDArray> pooled) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    return x.expandDims(4)
        .mul(pooled.indices())
        .reshape(n, c, h, w, 2, 2)
        .transpose(0, 1, 2, 4, 3, 5)
        .reshape(n, c, 2 * h, 2 * w);
  }

  @Override
  public NDArray dense(NDArray x, String layer) {
    return Linear.linear(x, p(layer + ".w"), p(layer + ".b")).singletonOrThrow();
  }

  @Override
  public NDArray relu(NDArray x) {
    return Activation.relu(x);
  }

  @Override
  public NDArray flatten(NDArray x) {
    return x.reshape(x.getShape().get(0), -1);
  }

  @Override
  public NDArray reshape(NDArray x, int c, int h, int w) {
    return x.reshape(x.getShape().get(0), c, h, w);
  }

  @Override
  public NDArray globalAvgPool(NDArray x) {
    return x.mean(new int[] {3}).mean(new int[] {2});
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return a.add(b);
  }

  @Override
  public NDArray sample(NDArray mu, NDArray logvar) {
    if (sampler == null) {
      return mu;
    }
    float[] eps = new float[(int) mu.size()];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) sampler.nextGaussian();
    }
    NDArray e = mu.getManager().create(eps, mu.getShape());
    return mu.add(logvar.mul(0.5f).exp().mul(e));
  }
}
