package dev.denoiser.model;

import ai.djl.Device;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code trainer.device} ({@code auto | cpu | cuda:N}) into the DJL {@link Device} training
 * runs on, as {@code inference.device} does for serving.
 *
 * <p>Training on a GPU needs PyTorch's CUDA build: the default jar bundles the CPU build, so it
 * sees no GPU; a jar built with {@code -Pgpu} bundles none and DJL fetches the build that matches
 * the machine's CUDA on first use (or uses {@code PYTORCH_LIBRARY_PATH}). {@code auto} uses GPU 0
 * when PyTorch sees one and falls back to the CPU with one log line otherwise; an explicit {@code
 * cuda:N} that PyTorch cannot see is an error that says why and how to fall back.
 */
public final class TrainDevice {
  private static final Logger LOG = LoggerFactory.getLogger(TrainDevice.class);

  private TrainDevice() {}

  /** The device for {@code spec}, asking PyTorch how many GPUs it sees. */
  public static Device select(String spec) {
    return select(spec, () -> Torch.engine().getGpuCount());
  }

  static Device select(String spec, IntSupplier gpus) {
    String s = spec == null || spec.isBlank() ? "cpu" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("auto")) {
      int n = gpus.getAsInt();
      if (n > 0) {
        LOG.info("trainer.device=auto: training on CUDA GPU 0 ({} visible)", n);
        return Device.gpu(0);
      }
      LOG.info(
          "trainer.device=auto: PyTorch sees no CUDA GPU (the default jar bundles the CPU "
              + "build; build with -Pgpu on a CUDA machine); training on the CPU");
      return Device.cpu();
    }
    if (s.startsWith("cuda:") || s.startsWith("gpu:")) {
      int id;
      try {
        id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
      } catch (NumberFormatException e) {
        throw new ModelException("trainer.device must be auto, cpu or cuda:N, got '" + spec + "'");
      }
      int n = gpus.getAsInt();
      if (id < 0 || id >= n) {
        throw new ModelException(
            "trainer.device="
                + spec
                + " cannot be used: PyTorch sees "
                + n
                + " CUDA GPU(s)"
                + (n == 0
                    ? " (the default jar bundles PyTorch's CPU build; build "
                        + "with -Pgpu on a CUDA machine)"
                    : "")
                + "; set trainer.device=cpu or auto");
      }
      return Device.gpu(id);
    }
    throw new ModelException("trainer.device must be auto, cpu or cuda:N, got '" + spec + "'");
  }
}
