package dev.denoiser.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Access to DJL's PyTorch engine with fixed thread counts (set before the engine starts, so runs
 * are repeatable) and the device training runs on ({@link #useDevice}). The default build bundles
 * the {@code pytorch-native-cpu} jar and nothing is downloaded at run time; a {@code -Pgpu} build
 * bundles no PyTorch library, and DJL fetches the one matching the machine (CUDA when present) on
 * first use, or loads {@code PYTORCH_LIBRARY_PATH}.
 */
public final class Torch {
  public static final String ENGINE = "PyTorch";
  private static volatile Engine engine;
  private static volatile Device device = Device.cpu();

  private Torch() {}

  /** The PyTorch engine, started on first use with one inter-op thread. */
  public static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (Torch.class) {
        if (engine == null) {
          if (bundled() && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
          }
          if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
          }
          if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(defaultThreads()));
          }
          try {
            engine = Engine.getEngine(ENGINE);
          } catch (RuntimeException | UnsatisfiedLinkError ex) {
            throw new ModelException("cannot start DJL's PyTorch engine: " + ex.getMessage(), ex);
          }
        }
        e = engine;
      }
    }
    return e;
  }

  /** Cores available, at most 2: the machines this is trained on are small and shared. */
  public static int defaultThreads() {
    return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  /** Sets PyTorch's intra-op thread count (results depend on it in the last bits). */
  public static void threads(int n) {
    engine();
    if (n > 0 && JniUtils.getNumThreads() != n) {
      JniUtils.setNumThreads(n);
    }
  }

  /**
   * Turns autograd off on the calling thread. PyTorch's grad mode is per thread and starts on, and
   * DJL turns it off only on the thread that started the engine; a gradient collector restores the
   * mode it found. A trainer on another thread (a worker pool, a test runner after ONNX Runtime
   * started PyTorch as its helper engine) would otherwise update parameters in place with grad mode
   * on, which PyTorch refuses.
   */
  public static void noGradOnThisThread() {
    engine();
    JniUtils.setGradMode(false);
  }

  /** True when a PyTorch native library jar is on the class path (the default build). */
  static boolean bundled() {
    return Torch.class.getResource("/native/lib/pytorch.properties") != null;
  }

  /**
   * Selects the device of the models created from now on ({@code auto | cpu | cuda:N}, see {@link
   * TrainDevice}); returns it.
   */
  public static Device useDevice(String spec) {
    Device d = TrainDevice.select(spec);
    device = d;
    return d;
  }

  /** The device new models are created on. */
  public static Device device() {
    return device;
  }

  /** A manager on the selected device. */
  public static NDManager newManager() {
    return engine().newBaseManager(device);
  }
}
