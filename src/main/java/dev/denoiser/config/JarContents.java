package dev.denoiser.config;

/**
 * What the running jar carries. The build makes two: the full {@code stream-denoiser.jar} and
 * {@code stream-denoiser-serve.jar}, which leaves out PyTorch (training, export) and the Kafka
 * broker. Parts that need them ask here first and fail with one clear line instead of a missing
 * class.
 */
public final class JarContents {
  /** The jar with every command. */
  public static final String FULL_JAR = "stream-denoiser.jar";

  /** The serving jar: serve, loadgen, health, config, prepare. */
  public static final String SERVE_JAR = "stream-denoiser-serve.jar";

  static final String PYTORCH = "ai/djl/pytorch/engine/PtEngine.class";
  static final String BROKER = "kafka/server/KafkaRaftServer.class";

  private JarContents() {}

  /** True when the PyTorch engine (training, export, the trainer role) is on the class path. */
  public static boolean hasPyTorch() {
    return has(PYTORCH);
  }

  /**
   * True when the Kafka broker (the embedded default, the {@code broker} command) is on the class
   * path.
   */
  public static boolean hasBroker() {
    return has(BROKER);
  }

  static boolean has(String resource) {
    return JarContents.class.getClassLoader().getResource(resource) != null;
  }

  /** The one-line reason why {@code what} cannot run from this jar. */
  public static String needsFullJar(String what) {
    return what
        + " needs the full jar, "
        + FULL_JAR
        + "; "
        + SERVE_JAR
        + " only serves (it has no PyTorch and no Kafka broker)";
  }
}
