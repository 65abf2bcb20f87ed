package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.testing.Chromium;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in real headless Chromium: it loads from the service alone, streams digits over the
 * WebSocket with the token from its URL, shows denoised frames, latency and the 2-D latent scatter,
 * and takes drawings. Leaves a screenshot in {@code target/stream-page.png}.
 */
@Tag("slow")
class WebPageBrowserTest {
  static final String TOKEN = "page-token";
  @TempDir static Path models;
  @TempDir static Path profile;
  static ServiceHarness svc;
  static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "vae-2d", 2, 31, 0, 0, 2);
    TestModels.write(models, "conv-4", 1, 32, 0, 0, 4);
    svc =
        ServiceHarness.start(
            models, new JsonObject().put("models.default", "vae-2d").put("auth.token", TOKEN));
    driver = Chromium.headless(profile, 1280, 960);
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    svc.close();
  }

  static int number(String id) {
    String t = driver.findElement(By.id(id)).getText().trim();
    return t.matches("\\d+") ? Integer.parseInt(t) : -1;
  }

  @Test
  void streamsDigitsAndDrawingsAndShowsDenoisedFramesLatencyAndLatent() throws Exception {
    driver.get("http://127.0.0.1:" + svc.port() + "/?access_token=" + TOKEN);
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    Select model = new Select(driver.findElement(By.id("model")));
    wait.until(d -> model.getOptions().size() == 2);
    assertEquals("vae-2d", model.getFirstSelectedOption().getAttribute("value"));
    assertEquals("–", driver.findElement(By.id("p50")).getText());

    driver.findElement(By.id("start")).click();
    wait.until(d -> number("received") >= 90);
    String p50 = driver.findElement(By.id("p50")).getText();
    String p99 = driver.findElement(By.id("p99")).getText();
    assertTrue(p50.matches("\\d+\\.\\d"), "p50 shows a latency: " + p50);
    assertTrue(p99.matches("\\d+\\.\\d"), "p99 shows a latency: " + p99);
    assertEquals("2", driver.findElement(By.id("version")).getText());
    assertEquals(0, number("errors"));
    JavascriptExecutor js = (JavascriptExecutor) driver;
    long lit =
        (Long)
            js.executeScript(
                "const c = document.getElementById('denoised');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 0) n++; } return n;");
    assertTrue(lit > 0, "the denoised canvas shows a frame");
    assertEquals("coloured by digit", driver.findElement(By.id("scatterNote")).getText());
    @SuppressWarnings("unchecked")
    List<String> foreign =
        (List<String>)
            js.executeScript(
                "return performance.getEntriesByType('resource')"
                    + ".map(e => e.name).filter(n => !n.startsWith(location.origin));");
    assertTrue(foreign.isEmpty(), "everything comes from the service: " + foreign);
    Path shot = Path.of("target", "stream-page.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);

    new Select(driver.findElement(By.id("source"))).selectByValue("draw");
    WebElement pad = driver.findElement(By.id("pad"));
    new Actions(driver)
        .moveToElement(pad, -40, -80)
        .clickAndHold()
        .moveByOffset(30, 60)
        .moveByOffset(30, 60)
        .moveByOffset(20, 40)
        .release()
        .perform();
    wait.until(d -> d.findElement(By.id("label")).getText().equals("your drawing"));
    int before = number("received");
    wait.until(d -> number("received") > before + 10);
    assertEquals(0, number("errors"));
  }
}
