package dev.denoiser.model;

import io.vertx.core.json.JsonObject;

/**
 * What it takes to rebuild a network: the architecture name and its sizes. {@code c1}/{@code c2}
 * are the channel widths of the two resolution levels (for {@code linear}: {@code c1} is the hidden
 * width, {@code c2} unused); {@code latentDim} is the code size of {@code linear} and {@code vae}
 * (the convolutional models publish their pooled bottleneck, so theirs follows from {@code c2}).
 * {@code skip} adds a full-resolution path from the noisy input to the output logits, around the
 * bottleneck (convolutional models only): 0 = none, 1 = one 3x3 convolution, k &gt; 1 = a 3x3
 * convolution to k channels, ReLU, and a 3x3 convolution to one. The bottleneck then only has to
 * carry the digit's shape while fine detail comes from the input, which is what lets one model work
 * at low and high noise. {@code conv-upsample} only: {@code mid} extra 3x3 convolutions (c2 to c2,
 * ReLU) at the H/4 x W/4 bottleneck, and {@code unet} adds the first encoder level's activations to
 * the first decoder level's (both c1 channels at H/2 x W/2), U-Net style. {@code channels}: 1
 * (gray) or 3 (RGB, {@code unet-residual} only). {@code views} ({@code unet-residual} only): the
 * exported graph is the mean of the network over that many of the eight flips and transposes of the
 * input, each output turned back (a geometric self-ensemble: the same weights, {@code views} times
 * the work, a better estimate; training is unchanged). Stored in the card and the ONNX metadata
 * under {@code net} ({@code mid}, {@code unet}, {@code channels} and {@code views} only when set).
 */
public record NetSpec(
    String architecture,
    int c1,
    int c2,
    int latentDim,
    int skip,
    int mid,
    boolean unet,
    int channels,
    int views) {
  /** The view counts a graph may average over. */
  public static final java.util.List<Integer> VIEWS = java.util.List.of(1, 2, 4, 8);

  public NetSpec {
    if (c1 <= 0
        || c2 <= 0
        || latentDim < 0
        || skip < 0
        || c1 > 4096
        || c2 > 4096
        || latentDim > 4096
        || skip > 4096
        || mid < 0
        || mid > 64) {
      throw new ModelException(
          "impossible network sizes c1="
              + c1
              + " c2="
              + c2
              + " latentDim="
              + latentDim
              + " skip="
              + skip
              + " mid="
              + mid);
    }
    boolean natural = ResidualUNet.named(architecture);
    if ((mid > 0 || unet) && !"conv-upsample".equals(architecture) && !natural) {
      throw new ModelException("mid and unet are options of conv-upsample, not " + architecture);
    }
    if (channels != 1 && !(natural && channels == 3)) {
      throw new ModelException(
          "channels must be 1, or 3 for the unet-residual networks, got "
              + channels
              + " for "
              + architecture);
    }
    if (!VIEWS.contains(views) || (views > 1 && !natural)) {
      throw new ModelException(
          "views must be 1, 2, 4 or 8, and above 1 only for the unet-residual networks, got "
              + views
              + " for "
              + architecture);
    }
  }

  /** A network served as one pass. */
  public NetSpec(
      String architecture,
      int c1,
      int c2,
      int latentDim,
      int skip,
      int mid,
      boolean unet,
      int channels) {
    this(architecture, c1, c2, latentDim, skip, mid, unet, channels, 1);
  }

  /** This network exported as the mean over {@code n} views. */
  public NetSpec withViews(int n) {
    return new NetSpec(architecture, c1, c2, latentDim, skip, mid, unet, channels, n);
  }

  /** A one-channel (gray) network. */
  public NetSpec(
      String architecture, int c1, int c2, int latentDim, int skip, int mid, boolean unet) {
    this(architecture, c1, c2, latentDim, skip, mid, unet, 1);
  }

  /** A network without bottleneck convolutions or U-Net skip. */
  public NetSpec(String architecture, int c1, int c2, int latentDim, int skip) {
    this(architecture, c1, c2, latentDim, skip, 0, false);
  }

  public Architecture arch() {
    return Architectures.get(architecture);
  }

  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("architecture", architecture)
            .put("c1", c1)
            .put("c2", c2)
            .put("latentDim", latentDim)
            .put("skip", skip);
    if (mid > 0) {
      j.put("mid", mid);
    }
    if (unet) {
      j.put("unet", true);
    }
    if (channels != 1) {
      j.put("channels", channels);
    }
    if (views != 1) {
      j.put("views", views);
    }
    return j;
  }

  public static NetSpec fromJson(JsonObject j) {
    if (j == null) {
      throw new ModelException("the model has no 'net' description");
    }
    return new NetSpec(
        j.getString("architecture", ""),
        j.getInteger("c1", 0),
        j.getInteger("c2", 0),
        j.getInteger("latentDim", 0),
        skip(j.getValue("skip")),
        j.getInteger("mid", 0),
        j.getBoolean("unet", false),
        j.getInteger("channels", 1),
        j.getInteger("views", 1));
  }

  /** Early cards wrote the skip as a boolean (true = one convolution). */
  private static int skip(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return v instanceof Number n ? n.intValue() : 0;
  }
}
