package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.util.regex.Pattern;

/**
 * Model names that may become directory names under {@code models.dir}: a letter or digit, then
 * letters, digits, dots, dashes or underscores, at most 100 characters. Anything else ("..",
 * slashes) is refused before it reaches the file system.
 */
public final class ModelNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private ModelNames() {}

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * @throws DenoiserException {@code code} when the name is not a plain model name
   */
  public static String check(String name, ErrorCode code) {
    if (!valid(name)) {
      throw new DenoiserException(
          code,
          "'"
              + abbreviate(name)
              + "' is not a model name "
              + "(letters, digits, '.', '-', '_'; at most 100)");
    }
    return name;
  }

  public static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    String one = s.replaceAll("\\p{Cntrl}", "?");
    return one.length() <= 60 ? one : one.substring(0, 60) + "...";
  }
}
