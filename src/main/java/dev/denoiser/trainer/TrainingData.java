package dev.denoiser.trainer;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * What a run trains on and what the gate validates on. Training: the first {@code limit} MNIST
 * training digits plus the reference frames not held out. Holdout (fixed): the first {@code
 * holdoutImages} MNIST test digits plus the held-out reference frames. MNIST is read once and kept.
 * Blocking.
 */
final class TrainingData {
  /** The two sets and a description of them for the card. */
  record Sets(ImageSet train, ImageSet holdout, JsonObject trainInfo, JsonObject holdoutInfo) {}

  private final Mnist mnist;
  private final ReferenceBuffer references;
  private final int holdoutImages;
  private final int holdoutEvery;
  private ImageSet train;
  private ImageSet test;

  /** {@code references} may be null (no reference topic). */
  TrainingData(Mnist mnist, ReferenceBuffer references, int holdoutImages, int holdoutEvery) {
    this.mnist = mnist;
    this.references = references;
    this.holdoutImages = Math.max(1, holdoutImages);
    this.holdoutEvery = holdoutEvery;
  }

  synchronized Sets assemble(int limit) throws IOException {
    if (train == null) {
      train = mnist.train();
      test = mnist.test();
    }
    ImageSet mnistTrain = limit > 0 ? train.head(limit) : train;
    ImageSet mnistHoldout = test.head(holdoutImages);
    ReferenceBuffer.Split refs = references == null ? null : references.split(holdoutEvery);
    ImageSet refTrain = refs == null ? null : refs.train();
    ImageSet refHold = refs == null ? null : refs.holdout();
    JsonObject trainInfo =
        new JsonObject()
            .put("mnistTrainImages", mnistTrain.count())
            .put("referenceImages", refTrain == null ? 0 : refTrain.count());
    JsonObject holdInfo =
        new JsonObject()
            .put("mnistTestImages", mnistHoldout.count())
            .put("mnistTestSlice", "first " + mnistHoldout.count())
            .put("referenceImages", refHold == null ? 0 : refHold.count())
            .put(
                "referenceRule",
                holdoutEvery > 0 ? "every " + holdoutEvery + "th reference frame" : "none");
    return new Sets(
        concat(mnistTrain, refTrain), concat(mnistHoldout, refHold), trainInfo, holdInfo);
  }

  /** {@code a} then {@code b} (same size), without labels; {@code b} may be null or empty. */
  static ImageSet concat(ImageSet a, ImageSet b) {
    if (b == null || b.count() == 0) {
      return a;
    }
    byte[] px = new byte[a.pixels().length + b.pixels().length];
    System.arraycopy(a.pixels(), 0, px, 0, a.pixels().length);
    System.arraycopy(b.pixels(), 0, px, a.pixels().length, b.pixels().length);
    return new ImageSet(a.count() + b.count(), a.height(), a.width(), px, null);
  }
}
