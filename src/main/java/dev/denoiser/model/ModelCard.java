package dev.denoiser.model;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code card.json} that sits next to every {@code model.onnx} in {@code models/<name>/}.
 *
 * <p>The fields the service relies on are typed here; everything else a card says (training config,
 * metrics, gate decisions, notes) stays in {@link #json()} so writers can add to it without
 * breaking readers.
 *
 * <p>Shape contract: input {@code noisy} [N,1,H,W] float32 in [0,1]; outputs {@code denoised}
 * [N,1,H,W] and {@code latent} [N,latentDim]. A fixed-size model has {@code height}/{@code width}
 * greater than zero; a fully convolutional one has them 0 and takes any H, W that are multiples of
 * {@code sizeMultiple}.
 */
public record ModelCard(
    String name,
    String architecture,
    long version,
    String sha256,
    int height,
    int width,
    int sizeMultiple,
    int latentDim,
    JsonObject json) {

  public static final String FILE = "card.json";
  public static final String MODEL_FILE = "model.onnx";
  public static final String INPUT = "noisy";
  public static final String OUTPUT_DENOISED = "denoised";
  public static final String OUTPUT_LATENT = "latent";

  public ModelCard {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    json = json == null ? new JsonObject() : json;
    if (sizeMultiple <= 0) {
      sizeMultiple = 1;
    }
  }

  /** Channels of the model's input and output: 1 (gray) or 3 (RGB). */
  public int channels() {
    return json.getInteger("channels", 1);
  }

  public boolean dynamicSize() {
    return height <= 0 || width <= 0;
  }

  /** Null when the model takes frames of this size, else a one-line reason. */
  public String shapeProblem(int h, int w) {
    if (!dynamicSize()) {
      return h == height && w == width
          ? null
          : "model '" + name + "' takes " + height + "x" + width + " frames, got " + h + "x" + w;
    }
    // Any size: the worker pads to the size multiple and crops back.
    return null;
  }

  public static ModelCard fromJson(JsonObject j) {
    return new ModelCard(
        j.getString("name"),
        j.getString("architecture"),
        j.getLong("version", 1L),
        j.getString("sha256"),
        j.getInteger("height", 0),
        j.getInteger("width", 0),
        j.getInteger("sizeMultiple", 1),
        j.getInteger("latentDim", 0),
        j.copy());
  }

  /** The full card, with the typed fields written over whatever the extra JSON said. */
  public JsonObject toJson() {
    JsonObject j = json.copy();
    j.put("name", name)
        .put("architecture", architecture)
        .put("version", version)
        .put("sha256", sha256)
        .put("height", height)
        .put("width", width)
        .put("sizeMultiple", sizeMultiple)
        .put("latentDim", latentDim);
    return j;
  }

  public ModelCard withVersion(long v) {
    return new ModelCard(
        name, architecture, v, sha256, height, width, sizeMultiple, latentDim, json);
  }

  public ModelCard withSha256(String s) {
    return new ModelCard(
        name, architecture, version, s, height, width, sizeMultiple, latentDim, json);
  }

  public ModelCard withName(String n) {
    return new ModelCard(
        n, architecture, version, sha256, height, width, sizeMultiple, latentDim, json);
  }

  /** A copy with {@code key} set in the free-form part of the card. */
  public ModelCard with(String key, Object value) {
    JsonObject j = json.copy().put(key, value);
    return new ModelCard(
        name, architecture, version, sha256, height, width, sizeMultiple, latentDim, j);
  }

  public static ModelCard read(Path file) throws IOException {
    return fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
  }
}
