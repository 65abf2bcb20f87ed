package dev.denoiser.model.eval;

/**
 * Whether OpenCV's Java bindings ({@code org.openpnp:opencv}, provided scope, never in the shaded
 * jar) are on the classpath and their native library loads. Only then may {@link NonLocalMeans} be
 * created.
 */
public final class OpenCvSupport {
  /** How to run eval-natural with OpenCV on the classpath, for the message when it is missing. */
  public static final String HOW =
      "mvn -q compile exec:java -Dexec.classpathScope=compile"
          + " -Dexec.mainClass=dev.denoiser.cli.Main -Dexec.args=\"eval-natural\"";

  private static String problem;
  private static boolean checked;

  private OpenCvSupport() {}

  /** Null when OpenCV is usable, else a one-line reason. Loads the native library once. */
  public static synchronized String problem() {
    if (!checked) {
      checked = true;
      try {
        Class<?> c = Class.forName("nu.pattern.OpenCV");
        c.getMethod("loadLocally").invoke(null);
        problem = null;
      } catch (ClassNotFoundException e) {
        problem = "OpenCV is not on the classpath";
      } catch (ReflectiveOperationException | LinkageError e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        problem = "OpenCV does not load: " + t;
      }
    }
    return problem;
  }

  public static boolean available() {
    return problem() == null;
  }
}
