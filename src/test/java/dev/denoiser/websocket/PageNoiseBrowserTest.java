package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.Chromium;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo page in headless Chromium shows the noise sigma the service estimated for the frames it
 * streams (from the replies' flag 4) and how the serving version was trained (its card's {@code
 * training.mode}), here a self-supervised version.
 */
@Tag("slow")
class PageNoiseBrowserTest {
  @TempDir static Path models;
  @TempDir static Path profile;
  static ServiceHarness svc;
  static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    Path dir = TestModels.write(models, "conv-4", 3, 32, 0, 0, 4);
    ModelCard card = ModelCard.read(dir.resolve(ModelCard.FILE));
    card.with(
            "training", new JsonObject().put("mode", "self-supervised").put("sigmaEstimate", 74.2))
        .write(dir.resolve(ModelCard.FILE));
    svc = ServiceHarness.start(models, new JsonObject().put("models.default", "conv-4"));
    driver = Chromium.headless(profile, 1280, 960);
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    svc.close();
  }

  static String text(String id) {
    return driver.findElement(By.id(id)).getAttribute("textContent").trim();
  }

  @Test
  void showsTheNoiseOfEachFrameAndHowTheServingVersionWasTrained() {
    driver.get("http://127.0.0.1:" + svc.port() + "/");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    wait.until(d -> !d.findElement(By.id("model")).findElements(By.tagName("option")).isEmpty());
    assertEquals("–", text("noiseSigma"));
    driver.findElement(By.id("start")).click();
    wait.until(d -> text("noiseSigma").matches("\\d+\\.\\d"));
    double sigma = Double.parseDouble(text("noiseSigma"));
    assertTrue(
        sigma > 5 && sigma < 200,
        "the page shows the estimated noise of the noisy digits: " + sigma);
    assertEquals("3", text("version"));
    wait.until(d -> text("training").equals("self-supervised"));
    assertEquals(
        "sigma estimate 74.2", driver.findElement(By.id("training")).getAttribute("title"));
  }
}
