package dev.denoiser.model;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code unet-residual}, the natural-image denoiser: a three-level U-Net that predicts the noise
 * and subtracts it (residual learning, as in DnCNN), built from the same parts as the MNIST models
 * (3x3 stride-2 convolutions down, nearest-neighbour upsampling + 3x3 convolution up, so no
 * checkerboard). Levels: full resolution with {@code c1} channels, H/2 with {@code c2}, H/4 with
 * {@code 2*c2} and {@code mid} convolutions there. Each decoder level adds the encoder's
 * activations of the same resolution. With {@link NetSpec#unet()} every full- and half-resolution
 * level has a second 3x3 convolution (the original U-Net's double block); without it the network is
 * the real-time tier. The output is {@code noisy + residual}, clipped to [0,1] only in the exported
 * graph and at inference ({@link Architecture#residual()}), so training sees a plain squared error.
 * Input and output have {@link NetSpec#channels()} channels (1 gray, 3 RGB). The latent is the H/4
 * bottleneck averaged over positions ([N,2*c2]).
 */
public final class ResidualUNet implements Architecture {
  public static final String NAME = "unet-residual";

  /** The variant without full-resolution features (see {@link #half()}). */
  public static final String HALF = "unet-residual-half";

  /** The real-time tier (see {@link #lite()}). */
  public static final String LITE = "unet-residual-lite";

  private final boolean half;
  private final boolean lite;

  private ResidualUNet(boolean half, boolean lite) {
    this.half = half;
    this.lite = lite;
  }

  /** The three-level network. */
  public static ResidualUNet full() {
    return new ResidualUNet(false, false);
  }

  /**
   * The real-time tier: the three-level network with the decoder's nearest-upsampling + 3x3
   * convolutions replaced by a 1x1 convolution at the low resolution and nearest upsampling. Those
   * two layers were two thirds of the thin network's multiply-adds; the 1x1 form costs a
   * thirty-sixth of them. The spatial detail comes from the skips: full-resolution features, which
   * matter most, stay (the first 3x3 convolution, its skip and the last 3x3 convolution).
   */
  public static ResidualUNet lite() {
    return new ResidualUNet(false, true);
  }

  /**
   * The real-time tier: the first layer is already a stride-2 convolution, so there are no
   * full-resolution feature maps (the most expensive ones); levels H/2 with {@code c1} channels and
   * H/4 with {@code c2}, then a last nearest-upsampling + 3x3 convolution back to full resolution,
   * added to the input. The same idea as processing the four sub-images of a frame at half
   * resolution.
   */
  public static ResidualUNet half() {
    return new ResidualUNet(true, false);
  }

  /** True for any variant's name. */
  public static boolean named(String architecture) {
    return NAME.equals(architecture) || HALF.equals(architecture) || LITE.equals(architecture);
  }

  @Override
  public String name() {
    return half ? HALF : lite ? LITE : NAME;
  }

  @Override
  public String description() {
    return "Residual U-Net for natural images: strided-conv encoder over three resolutions, "
        + (lite
            ? "1x1-conv + nearest-upsampling decoder"
            : "nearest-neighbour upsampling + conv decoder")
        + " with the encoder's activations added at "
        + "each level; predicts the noise and subtracts it from the input. Latent: the H/4 x W/4 "
        + "bottleneck averaged over positions, one value per channel.";
  }

  @Override
  public List<ParamSpec> params(NetSpec s) {
    return half ? halfParams(s) : fullParams(s);
  }

  private static List<ParamSpec> halfParams(NetSpec s) {
    int c = s.channels();
    List<ParamSpec> p = new ArrayList<>();
    p.addAll(List.of(ParamSpec.conv("down1", c, s.c1(), true)));
    p.addAll(List.of(ParamSpec.conv("down2", s.c1(), s.c2(), true)));
    for (int i = 1; i <= s.mid(); i++) {
      p.addAll(List.of(ParamSpec.conv("mid" + i, s.c2(), s.c2(), true)));
    }
    p.addAll(List.of(ParamSpec.conv("up1", s.c2(), s.c1(), true)));
    if (s.unet()) {
      p.addAll(List.of(ParamSpec.conv("d1b", s.c1(), s.c1(), true)));
    }
    p.addAll(smallOut(s.c1(), c));
    return p;
  }

  /** The last layer starts near zero: the untrained network is close to the identity. */
  private static List<ParamSpec> smallOut(int in, int c) {
    ParamSpec[] out = ParamSpec.conv("out", in, c, false);
    return List.of(new ParamSpec(out[0].name(), out[0].shape(), out[0].bound() * 0.1), out[1]);
  }

  private List<ParamSpec> fullParams(NetSpec s) {
    int c = s.channels();
    int c3 = 2 * s.c2();
    List<ParamSpec> p = new ArrayList<>();
    p.addAll(List.of(ParamSpec.conv("in", c, s.c1(), true)));
    if (s.unet()) {
      p.addAll(List.of(ParamSpec.conv("e0b", s.c1(), s.c1(), true)));
    }
    p.addAll(List.of(ParamSpec.conv("down1", s.c1(), s.c2(), true)));
    if (s.unet()) {
      p.addAll(List.of(ParamSpec.conv("e1b", s.c2(), s.c2(), true)));
    }
    p.addAll(List.of(ParamSpec.conv("down2", s.c2(), c3, true)));
    for (int i = 1; i <= s.mid(); i++) {
      p.addAll(List.of(ParamSpec.conv("mid" + i, c3, c3, true)));
    }
    p.addAll(
        List.of(
            lite
                ? ParamSpec.conv1x1("up1", c3, s.c2(), true)
                : ParamSpec.conv("up1", c3, s.c2(), true)));
    if (s.unet()) {
      p.addAll(List.of(ParamSpec.conv("d1b", s.c2(), s.c2(), true)));
    }
    p.addAll(
        List.of(
            lite
                ? ParamSpec.conv1x1("up0", s.c2(), s.c1(), true)
                : ParamSpec.conv("up0", s.c2(), s.c1(), true)));
    p.addAll(smallOut(s.c1(), c));
    return p;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    if (half) {
      T e1 = o.relu(o.conv(x, "down1", 2));
      T code = o.relu(o.conv(e1, "down2", 2));
      T b = code;
      for (int i = 1; i <= s.mid(); i++) {
        b = o.relu(o.conv(b, "mid" + i, 1));
      }
      T d1 = o.add(o.relu(o.upsampleConv(b, "up1")), e1);
      if (s.unet()) {
        d1 = o.relu(o.conv(d1, "d1b", 1));
      }
      return new Result<>(o.add(x, o.upsampleConv(d1, "out")), o.globalAvgPool(code));
    }
    T e0 = o.relu(o.conv(x, "in", 1));
    if (s.unet()) {
      e0 = o.relu(o.conv(e0, "e0b", 1));
    }
    T e1 = o.relu(o.conv(e0, "down1", 2));
    if (s.unet()) {
      e1 = o.relu(o.conv(e1, "e1b", 1));
    }
    T code = o.relu(o.conv(e1, "down2", 2));
    T b = code;
    for (int i = 1; i <= s.mid(); i++) {
      b = o.relu(o.conv(b, "mid" + i, 1));
    }
    T d1 = o.add(o.relu(up(o, b, "up1")), e1);
    if (s.unet()) {
      d1 = o.relu(o.conv(d1, "d1b", 1));
    }
    T d0 = o.add(o.relu(up(o, d1, "up0")), e0);
    T out = o.add(x, o.conv(d0, "out", 1));
    return new Result<>(out, o.globalAvgPool(code));
  }

  private <T> T up(Ops<T> o, T x, String layer) {
    return lite ? o.conv1x1Up(x, layer) : o.upsampleConv(x, layer);
  }

  @Override
  public int latentDim(NetSpec s) {
    return half ? s.c2() : 2 * s.c2();
  }

  @Override
  public boolean fullyConvolutional() {
    return true;
  }

  @Override
  public int sizeMultiple() {
    return 4;
  }

  @Override
  public boolean residual() {
    return true;
  }
}
