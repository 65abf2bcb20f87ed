package dev.denoiser.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the page tests, driven by chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}, or the binaries named by the system properties {@code chrome.binary} and
 * {@code webdriver.chrome.driver}).
 */
public final class Chromium {
  private Chromium() {}

  /** A browser with its own profile directory and window size; {@code extra} adds switches. */
  public static WebDriver headless(Path profile, int width, int height, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height));
    args.addAll(List.of(extra));
    ChromeOptions options =
        new ChromeOptions().setBinary(executable("chrome.binary", "chromium")).addArguments(args);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(executable("webdriver.chrome.driver", "chromedriver")))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** A system property, else the first {@code name} on the PATH. */
  public static String executable(String property, String name) {
    String p = System.getProperty(property);
    if (p != null) {
      return p;
    }
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new IllegalStateException(
        name + " is not on the PATH (apt-get install chromium chromium-driver)");
  }
}
