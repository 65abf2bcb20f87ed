package dev.denoiser.model;

/**
 * Training progress: called on the training thread after every step and epoch. Loss is the training
 * objective (per-pixel cross-entropy; per-image for the VAE, KL included; minus the mean per-image
 * PSNR in dB with the psnr loss); speed is in images per second.
 */
public interface TrainListener {
  TrainListener NONE = new TrainListener() {};

  default void epochStarted(int epoch, int epochs, int steps) {}

  default void stepDone(int epoch, int step, double loss, double imagesPerSecond) {}

  default void epochDone(int epoch, double meanLoss, double imagesPerSecond) {}
}
