package dev.denoiser.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weighted average of the weights of several exported models of one network (fine-tunes of one
 * model, so they share a basin; averaging such weights, as in "model soups", can keep the strengths
 * of each fine-tune). The card is the first model's, with the new hash and a note naming the parts.
 */
public final class Averaging {
  private Averaging() {}

  /** Writes the average of {@code onnx} (weights {@code weights}, or equal) into {@code dir}. */
  public static ModelCard export(List<Path> onnx, List<Double> weights, Path dir) {
    if (onnx.size() < 2) {
      throw new ModelException("averaging needs at least two models, got " + onnx.size());
    }
    List<Double> t =
        weights == null || weights.isEmpty()
            ? onnx.stream().map(p -> 1.0 / onnx.size()).toList()
            : weights;
    if (t.size() != onnx.size()) {
      throw new ModelException(onnx.size() + " models but " + t.size() + " weights");
    }
    double sum = t.stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(sum - 1) > 1e-6 || t.stream().anyMatch(v -> v < 0)) {
      throw new ModelException("the weights must be non-negative and sum to 1, got " + t);
    }
    List<OnnxImporter.Imported> parts = new ArrayList<>();
    for (Path p : onnx) {
      parts.add(OnnxImporter.read(p));
    }
    OnnxImporter.Imported first = parts.get(0);
    Weights out = new Weights();
    for (var e : first.weights().asMap().entrySet()) {
      float[] acc = new float[e.getValue().data().length];
      for (int k = 0; k < parts.size(); k++) {
        OnnxImporter.Imported part = parts.get(k);
        if (!part.spec().equals(first.spec()) || !part.weights().has(e.getKey())) {
          throw new ModelException(onnx.get(k) + " is not the same network as " + onnx.get(0));
        }
        float[] v = part.weights().get(e.getKey()).data();
        double w = t.get(k);
        for (int i = 0; i < acc.length; i++) {
          acc[i] += (float) (w * v[i]);
        }
      }
      out.put(e.getKey(), e.getValue().shape(), acc);
    }
    byte[] bytes = OnnxExporter.toBytes(first.spec(), out, first.metadata());
    try {
      OnnxExporter.checkWritable(dir);
      Files.createDirectories(dir);
      JsonObject card =
          new JsonObject(
              Files.readString(onnx.get(0).resolveSibling(ModelCard.FILE), StandardCharsets.UTF_8));
      StringBuilder note = new StringBuilder("Weights: the average of");
      JsonArray partsJson = new JsonArray();
      for (int k = 0; k < onnx.size(); k++) {
        note.append(k == 0 ? " " : ", ")
            .append(String.format(Locale.ROOT, "%.2f", t.get(k)))
            .append(" x ")
            .append(onnx.get(k).getParent().getFileName());
        partsJson.add(
            new JsonObject()
                .put("weight", t.get(k))
                .put("sha256", OnnxExporter.sha256(Files.readAllBytes(onnx.get(k)))));
      }
      card.put("averageOf", partsJson);
      card.put("notes", (card.getString("notes", "") + " " + note + ".").strip());
      card.put("sha256", OnnxExporter.sha256(bytes));
      Files.write(dir.resolve(ModelCard.MODEL_FILE), bytes);
      Files.writeString(dir.resolve(ModelCard.FILE), card.encodePrettily(), StandardCharsets.UTF_8);
      return ModelCard.read(dir.resolve(ModelCard.FILE));
    } catch (IOException e) {
      throw new ModelException(
          "cannot write the averaged model to " + dir + ": " + e.getMessage(), e);
    }
  }
}
