package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.testing.Chromium;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestClips;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's natural-image sources in headless Chromium: the camera (Chromium's fake device)
 * streams colour frames over the WebSocket and denoised ones come back; the demo video (a clip
 * ffmpeg makes here) and an uploaded PNG do the same. The default model takes 28x28 only, so the
 * page must switch to the one that takes any size. Leaves {@code target/camera-page.png}.
 */
@Tag("slow")
class CameraPageBrowserTest {
  @TempDir static Path models;
  @TempDir static Path profile;
  @TempDir static Path files;
  static ServiceHarness svc;
  static WebDriver driver;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "digits-28", 1, 31, 28, 28, 2);
    TestModels.write(models, "conv-4", 3, 32, 0, 0, 4);
    Path clip = files.resolve("clip.avi");
    TestClips.testPattern(clip, 2);
    svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put("models.default", "digits-28")
                .put("kafka.demo.video.file", clip.toString())
                .put("kafka.demo.video.size", "64x48")
                .put("kafka.demo.video.model", "conv-4"));
    driver =
        Chromium.headless(
            profile,
            1280,
            1100,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream");
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (svc != null) {
      svc.close();
    }
  }

  static int number(String id) {
    String t = driver.findElement(By.id(id)).getText().trim();
    return t.matches("\\d+") ? Integer.parseInt(t) : -1;
  }

  static String text(String id) {
    return driver.findElement(By.id(id)).getText().trim();
  }

  /** Pixels of the denoised canvas that are not black, and its size. */
  static long litPixels() {
    return (Long)
        ((JavascriptExecutor) driver)
            .executeScript(
                "const c = document.getElementById('after');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] > 0) n++; } return n;");
  }

  @Test
  void cameraVideoAndUploadFramesComeBackDenoised() throws Exception {
    driver.get("http://127.0.0.1:" + svc.port() + "/");
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
    Select model = new Select(driver.findElement(By.id("model")));
    wait.until(d -> model.getOptions().size() == 2);
    assertEquals("digits-28", model.getFirstSelectedOption().getAttribute("value"));
    WebElement videoOption = driver.findElement(By.cssSelector("#source option[value=video]"));
    wait.until(d -> videoOption.isEnabled());

    Select source = new Select(driver.findElement(By.id("source")));
    source.selectByValue("camera");
    assertEquals(
        "conv-4",
        model.getFirstSelectedOption().getAttribute("value"),
        "a model that takes any size");
    assertEquals("25", text("noiseOut"), "natural frames start at sigma 25 of 255");
    driver.findElement(By.id("start")).click();
    wait.until(d -> number("received") >= 15);
    assertEquals(0, number("errors"), text("status"));
    assertEquals("320 x 240 colour", text("frameInfo"));
    assertTrue(litPixels() > 320 * 240 / 2, "the denoised camera frame is shown");
    assertTrue(text("p50").matches("\\d+\\.\\d"), "latency shows: " + text("p50"));
    assertEquals("3", text("version"));
    Path shot = Path.of("target", "camera-page.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);

    source.selectByValue("video");
    wait.until(d -> text("frameInfo").equals("64 x 48 gray") && number("received") >= 10);
    assertEquals(0, number("errors"), text("status"));
    assertTrue(litPixels() > 64 * 48 / 2, "the denoised video frame is shown");

    BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 100; x++) {
        img.setRGB(x, y, (x * 2 << 16) | (y * 3 << 8) | 128);
      }
    }
    Path png = files.resolve("photo.png");
    ImageIO.write(img, "png", png.toFile());
    source.selectByValue("upload");
    assertFalse(
        driver.findElement(By.id("uploadRow")).getAttribute("hidden") != null,
        "the file input shows");
    driver.findElement(By.id("file")).sendKeys(png.toAbsolutePath().toString());
    wait.until(d -> text("frameInfo").equals("100 x 80 colour") && number("received") >= 3);
    assertEquals(0, number("errors"), text("status"));
    assertTrue(litPixels() > 100 * 80 / 2, "the denoised upload is shown");
    driver.findElement(By.id("start")).click();
    assertEquals("Start", text("start"));
  }
}
