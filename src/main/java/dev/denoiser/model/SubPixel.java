package dev.denoiser.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Nearest-neighbour upsampling by 2 followed by a 3x3 convolution (padding 1), computed without
 * building the upsampled map: a 3x3 convolution on the low-resolution map with one folded kernel
 * per output phase, then depth-to-space. The two compute the same function (and so the same
 * gradients): output row {@code 2y+a} of the upsampled convolution reads upsampled rows {@code
 * 2y+a-1 .. 2y+a+1}, which are low-resolution rows {@code y-1, y, y} for {@code a = 0} and {@code
 * y, y, y+1} for {@code a = 1}; so phase 0 applies kernel row 0 at offset -1 and rows 1+2 at offset
 * 0, phase 1 applies rows 0+1 at offset 0 and row 2 at offset +1 (columns alike). Zero padding of
 * the low-resolution map is zero padding of the upsampled one, so borders agree too.
 *
 * <p>The folding is {@code K_ab = A_a W A_b^T} with constant 0/1 matrices, differentiable, so the
 * trained parameter stays the literal [out,in,3,3] kernel that the ONNX graph applies after its
 * {@code Resize}. With one output channel this is about ten times cheaper than convolving the
 * upsampled map (a one-channel full-resolution convolution uses the CPU badly).
 */
final class SubPixel {
  private static final Shape ONE = new Shape(1, 1);

  /** Rows (phase a, low-res offset r+1) by kernel row: which kernel rows land on which offset. */
  private static final float[] FOLD = {
    1, 0, 0, // a=0, r=-1: row 0
    0, 1, 1, // a=0, r=0: rows 1 and 2
    0, 0, 0, // a=0, r=+1: nothing
    0, 0, 0, // a=1, r=-1: nothing
    1, 1, 0, // a=1, r=0: rows 0 and 1
    0, 0, 1 // a=1, r=+1: row 2
  };

  private SubPixel() {}

  /** A copy of the 6x3 folding matrix (rows: phase a and offset r; columns: kernel rows). */
  static float[] foldMatrix() {
    return FOLD.clone();
  }

  /** conv(upsample(x)) with weight [out,in,3,3] and bias [out]; x is [N,in,h,w]. */
  static NDArray upsampleConv(NDArray x, NDArray weight, NDArray bias) {
    long out = weight.getShape().get(0);
    NDArray y = Conv2d.conv2d(x, foldKernel(weight), phaseBias(bias), ONE, ONE).singletonOrThrow();
    return depthToSpace(y, out);
  }

  /** The [4*out,in,3,3] kernel: output channel {@code 4*o + 2*ay + ax} is phase (ay,ax) of o. */
  static NDArray foldKernel(NDArray w) {
    Shape s = w.getShape();
    long out = s.get(0);
    long in = s.get(1);
    NDManager m = w.getManager();
    NDArray fold = m.create(FOLD, new Shape(6, 3));
    NDArray k = fold.matMul(w).matMul(fold.transpose()); // [out,in,(ay,ry),(ax,rx)]
    return k.reshape(out, in, 2, 3, 2, 3).transpose(0, 2, 4, 1, 3, 5).reshape(4 * out, in, 3, 3);
  }

  /** Each bias repeated for the four phases of its channel. */
  static NDArray phaseBias(NDArray b) {
    long out = b.getShape().get(0);
    return b.reshape(out, 1).broadcast(out, 4).reshape(4 * out);
  }

  /** [N,4c,h,w] with channel {@code 4*o + 2*ay + ax} to [N,c,2h,2w] at (2y+ay, 2x+ax). */
  static NDArray depthToSpace(NDArray y, long c) {
    Shape s = y.getShape();
    long n = s.get(0);
    long h = s.get(2);
    long w = s.get(3);
    return y.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
  }
}
