package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.VideoFrames;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestClips;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/samples/video}: the demo clip's clean frames, or 404 with the reason. */
class VideoSamplesTest {
  @TempDir Path dir;

  private HttpResponse<byte[]> get(ServiceHarness svc, String query) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + svc.port() + VideoSamples.PATH + query))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesTheFirstFramesOfTheClipOrSaysWhyNot() throws Exception {
    Path clip = dir.resolve("clip.avi");
    TestClips.testPattern(clip, 1);
    Path models = dir.resolve("models");
    TestModels.write(models, "conv-4", 1, 32, 0, 0, 4);
    try (ServiceHarness svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put("models.default", "conv-4")
                .put("kafka.demo.video.file", clip.toString())
                .put("kafka.demo.video.size", "32x24"))) {
      HttpResponse<byte[]> r = get(svc, "?count=3");
      assertEquals(200, r.statusCode());
      assertEquals("application/x-gray8", r.headers().firstValue("Content-Type").orElse(""));
      assertEquals("3", r.headers().firstValue("X-Count").orElse(""));
      assertEquals("32", r.headers().firstValue("X-Width").orElse(""));
      assertEquals("24", r.headers().firstValue("X-Height").orElse(""));
      assertEquals("natural-gray", r.headers().firstValue("X-Model").orElse(""));
      List<byte[]> frames = VideoFrames.read(clip, 32, 24, 3);
      byte[] expected = new byte[3 * 32 * 24];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(frames.get(i), 0, expected, i * 32 * 24, 32 * 24);
      }
      assertArrayEquals(expected, r.body());
      assertEquals(
          5 * 32 * 24, get(svc, "?count=150").body().length, "a short clip gives what it has");
      assertEquals(400, get(svc, "?count=151").statusCode());
      assertEquals(400, get(svc, "?count=x").statusCode());
    }
    try (ServiceHarness svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put("models.default", "conv-4")
                .put("kafka.demo.video.file", dir.resolve("none.avi").toString()))) {
      HttpResponse<byte[]> r = get(svc, "");
      assertEquals(404, r.statusCode());
      JsonObject body = new JsonObject(new String(r.body()));
      assertEquals("NOT_FOUND", body.getString("code"));
      assertTrue(body.getString("message").contains("none.avi is missing"), body.encode());
    }
  }
}
