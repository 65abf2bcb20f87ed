package dev.denoiser.model;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import java.nio.file.Path;

/**
 * The entry points for code that trains, publishes and scores models (the trainer role, the CLI).
 * Everything here blocks: run it on a worker thread, never on an event loop.
 *
 * <pre>{@code
 * Trainer.Result r = Models.train(spec, config, Mnist.locate(null).train(), listener);
 * ModelCard card = Models.publish("candidate", r, test, dir, 2);       // onnx + card + PNGs
 * Evaluator.Score s = Models.evaluate(dir.resolve("model.onnx"), test, Noise.parse(card...));
 * try (NetModel m = Models.load(servingModelOnnx)) { ...fine-tune from m.weights()... }
 * }</pre>
 */
public final class Models {
  private Models() {}

  /** Trains from a fresh seeded initialisation; no checkpoint. */
  public static Trainer.Result train(
      NetSpec spec, TrainConfig config, ImageSet data, TrainListener listener) {
    return Trainer.train(spec, null, config, data, listener, null);
  }

  /**
   * Trains starting from {@code initial} (e.g. {@code load(onnx).weights()}; null = fresh), saving
   * a checkpoint after every epoch to {@code checkpoint} (null = none) and resuming from it.
   */
  public static Trainer.Result train(
      NetSpec spec,
      Weights initial,
      TrainConfig config,
      ImageSet data,
      TrainListener listener,
      Path checkpoint) {
    return Trainer.train(spec, initial, config, data, listener, checkpoint);
  }

  /**
   * Writes {@code dir/model.onnx} and {@code dir/card.json} from a trained model; the card's typed
   * fields are filled from the network, {@code card}'s free-form JSON is kept. No metrics.
   */
  public static ModelCard export(NetModel model, ModelCard card, Path dir) {
    ModelCard full = OnnxExporter.card(card.name(), model.spec(), card.version(), card.json());
    return OnnxExporter.export(model.spec(), model.weights(), full, dir);
  }

  /** Export plus metrics on {@code test} (through ONNX Runtime), samples.png and loss.png. */
  public static ModelCard publish(
      String name, Trainer.Result result, ImageSet test, Path dir, long version) {
    return Publisher.publish(name, result, test, dir, version, null);
  }

  /** PSNR/SSIM of an exported model on {@code data} corrupted by {@code noise} (fixed seed). */
  public static Evaluator.Score evaluate(Path onnx, ImageSet data, Noise noise) {
    return Evaluator.onnx(onnx, Evaluator.Corrupted.of(data, noise, Evaluator.SEED));
  }

  /** The same for a model still in DJL. */
  public static Evaluator.Score evaluate(NetModel model, ImageSet data, Noise noise) {
    return Evaluator.djl(model, Evaluator.Corrupted.of(data, noise, Evaluator.SEED));
  }

  /** A trainable DJL model with the weights of an exported {@code model.onnx}. Close it. */
  public static NetModel load(Path onnx) {
    OnnxImporter.Imported im = OnnxImporter.read(onnx);
    return NetModel.of(im.spec(), im.weights());
  }
}
