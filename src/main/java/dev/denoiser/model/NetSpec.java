package dev.denoiser.model;

import io.vertx.core.json.JsonObject;

/**
 * What it takes to rebuild a network: the architecture name and its sizes. {@code c1}/{@code c2}
 * are the channel widths of the two resolution levels (for {@code linear}: {@code c1} is the hidden
 * width, {@code c2} unused); {@code latentDim} is the code size of {@code linear} and {@code vae}
 * (the convolutional models publish their pooled bottleneck, so theirs follows from {@code c2}).
 * {@code skip} adds a 3x3 convolution of the noisy input to the output logits (a skip connection
 * around the bottleneck, for the convolutional models): the bottleneck then only has to carry the
 * digit's shape while fine detail can come straight from the input, which is what lets one model
 * work at low and high noise. Stored in the card and the ONNX metadata under {@code net}.
 */
public record NetSpec(String architecture, int c1, int c2, int latentDim, boolean skip) {
  public NetSpec {
    if (c1 <= 0 || c2 <= 0 || latentDim < 0 || c1 > 4096 || c2 > 4096 || latentDim > 4096) {
      throw new ModelException("impossible network sizes c1=" + c1 + " c2=" + c2
          + " latentDim=" + latentDim);
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
        j.getInteger("c2", 0), j.getInteger("latentDim", 0), j.getBoolean("skip", false));
  }
}
