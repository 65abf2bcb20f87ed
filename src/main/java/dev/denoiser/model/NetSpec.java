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
 * carry the digit's shape while fine detail comes from the input, which is what lets one model
 * work at low and high noise. Stored in the card and the ONNX metadata under {@code net}.
 */
public record NetSpec(String architecture, int c1, int c2, int latentDim, int skip) {
  public NetSpec {
    if (c1 <= 0 || c2 <= 0 || latentDim < 0 || skip < 0 || c1 > 4096 || c2 > 4096
        || latentDim > 4096 || skip > 4096) {
      throw new ModelException("impossible network sizes c1=" + c1 + " c2=" + c2
          + " latentDim=" + latentDim + " skip=" + skip);
    }
  }

  public Architecture arch() {
    return Architectures.get(architecture);
  }

  public JsonObject toJson() {
    return new JsonObject().put("architecture", architecture).put("c1", c1).put("c2", c2)
        .put("latentDim", latentDim).put("skip", skip);
  }

  public static NetSpec fromJson(JsonObject j) {
    if (j == null) {
      throw new ModelException("the model has no 'net' description");
    }
    return new NetSpec(j.getString("architecture", ""), j.getInteger("c1", 0),
        j.getInteger("c2", 0), j.getInteger("latentDim", 0), skip(j.getValue("skip")));
  }

  /** Early cards wrote the skip as a boolean (true = one convolution). */
  private static int skip(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return v instanceof Number n ? n.intValue() : 0;
  }
}
