package dev.denoiser.inference;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code inference.device} ({@code auto | cpu | cuda:N}) into a DJL {@link Device}.
 *
 * <p>CUDA needs two things: the CUDA execution provider in the ONNX Runtime build (the Maven
 * profile {@code gpu} swaps in {@code onnxruntime_gpu}) and a GPU the CUDA runtime can see. {@code
 * auto} falls back to the CPU with one log line when either is missing; an explicit {@code cuda:N}
 * that cannot be had is a start-up failure with the reason.
 */
public final class DeviceSelector {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceSelector.class);
  private final Supplier<Boolean> cudaProvider;
  private final IntSupplier gpuCount;

  public DeviceSelector() {
    this(DeviceSelector::ortHasCuda, CudaUtils::getGpuCount);
  }

  DeviceSelector(Supplier<Boolean> cudaProvider, IntSupplier gpuCount) {
    this.cudaProvider = cudaProvider;
    this.gpuCount = gpuCount;
  }

  public Device select(String spec) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("auto")) {
      String missing = cudaMissing(0);
      if (missing == null) {
        LOG.info("inference.device=auto: using CUDA GPU 0");
        return Device.gpu(0);
      }
      LOG.info("inference.device=auto: no CUDA ({}); running ONNX Runtime on the CPU", missing);
      return Device.cpu();
    }
    if (s.startsWith("cuda")) {
      int id = parseId(spec, s);
      String missing = cudaMissing(id);
      if (missing != null) {
        throw new IllegalStateException(
            "inference.device="
                + spec
                + " cannot be used: "
                + missing
                + "; set inference.device=cpu or auto");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException(
        "inference.device must be auto, cpu or cuda:N, got '" + spec + "'");
  }

  private static int parseId(String spec, String s) {
    if (s.equals("cuda") || s.equals("gpu")) {
      return 0;
    }
    try {
      int id = Integer.parseInt(s.substring(s.indexOf(':') + 1));
      if (id >= 0 && s.charAt(4) == ':') {
        return id;
      }
    } catch (RuntimeException ignored) {
      // fall through
    }
    throw new IllegalArgumentException(
        "inference.device must be auto, cpu or cuda:N, got '" + spec + "'");
  }

  /** Null when CUDA GPU {@code id} is usable, else why not. */
  private String cudaMissing(int id) {
    if (!cudaProvider.get()) {
      return "this ONNX Runtime build has no CUDA execution provider (build with mvn -Pgpu)";
    }
    int n = gpuCount.getAsInt();
    if (n <= id) {
      return n == 0
          ? "no CUDA GPU is visible"
          : "GPU " + id + " does not exist (" + n + " visible)";
    }
    return null;
  }

  private static boolean ortHasCuda() {
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return false;
    }
  }
}
