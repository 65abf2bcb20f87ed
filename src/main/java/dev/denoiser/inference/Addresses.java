package dev.denoiser.inference;

/** Event-bus addresses, in one place. */
public final class Addresses {
  private Addresses() {}

  private static final String INFER = "denoiser.infer.";

  /** Where sources send {@link InferenceRequest}s for {@code model}; the batcher listens. */
  public static String infer(String model) {
    return INFER + model;
  }

  /** Inference workers announce themselves here with their private address. */
  public static final String WORKER_ANNOUNCE = "denoiser.worker.announce";

  /** Inference workers leaving (undeployed) say so here. */
  public static final String WORKER_RETIRE = "denoiser.worker.retire";

  /**
   * Published when the registry's set of models or a model's version changes (body: model name).
   */
  public static final String MODEL_CHANGED = "denoiser.models.changed";
}
