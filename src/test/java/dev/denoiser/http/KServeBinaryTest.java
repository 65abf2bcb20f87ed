package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The KServe v2 binary tensor data extension, requests built byte by byte as its text describes
 * (JSON header of Inference-Header-Content-Length bytes, then each input's binary_data_size bytes,
 * little-endian, row-major) and answers decoded the same way; and malformed requests, which get a
 * typed 400 and one log line.
 */
class KServeBinaryTest {
  @TempDir static Path models;
  static ServiceHarness svc;
  static byte[] onnx;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 3, 21);
    onnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    svc =
        ServiceHarness.start(
            models, new JsonObject().put("models.default", "dyn").put("kserve.maxBatch", 8));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  /** An answer: status, headers' Inference-Header-Content-Length and Content-Type, body bytes. */
  record Answer(int status, String headerLength, String contentType, byte[] body) {
    JsonObject json() {
      int n = headerLength == null ? body.length : Integer.parseInt(headerLength);
      return new JsonObject(new String(body, 0, n, StandardCharsets.UTF_8));
    }

    byte[] binary() {
      return Arrays.copyOfRange(body, Integer.parseInt(headerLength), body.length);
    }
  }

  static Answer post(String json, byte[] binary, String headerLength) throws Exception {
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(head);
    body.write(binary);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + svc.port() + "/v2/models/dyn/infer"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (binary.length > 0 || headerLength != null) {
      b.header("Content-Type", "application/octet-stream")
          .header(
              "Inference-Header-Content-Length",
              headerLength != null ? headerLength : Integer.toString(head.length));
    } else {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(
        r.statusCode(),
        r.headers().firstValue("Inference-Header-Content-Length").orElse(null),
        r.headers().firstValue("Content-Type").orElse(null),
        r.body());
  }

  static float[] pixels(int count, long seed) {
    Random r = new Random(seed);
    float[] px = new float[count];
    for (int i = 0; i < count; i++) {
      px[i] = Math.round(r.nextFloat() * 255) / 255f;
    }
    return px;
  }

  static byte[] le(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  static float[] floats(byte[] b, int from, int count) {
    float[] out = new float[count];
    ByteBuffer.wrap(b, from, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  @Test
  void fp32InputInBinaryDenoisedOutInBinaryLatentAsJson() throws Exception {
    int n = 2;
    int h = 6;
    int w = 5;
    float[] px = pixels(n * h * w, 1);
    String json =
        "{\"id\":\"b1\",\"inputs\":[{\"name\":\"noisy\",\"shape\":["
            + n
            + ",1,"
            + h
            + ","
            + w
            + "],"
            + "\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":"
            + 4 * px.length
            + "}}],"
            + "\"outputs\":[{\"name\":\"denoised\",\"parameters\":{\"binary_data\":true}},{\"name\":\"latent\"}]}";
    Answer a = post(json, le(px), null);
    assertEquals(200, a.status(), new String(a.body(), StandardCharsets.UTF_8));
    assertEquals("application/octet-stream", a.contentType());
    JsonObject head = a.json();
    assertEquals("b1", head.getString("id"));
    JsonObject den = head.getJsonArray("outputs").getJsonObject(0);
    assertEquals("denoised", den.getString("name"));
    assertEquals("FP32", den.getString("datatype"));
    assertEquals(new JsonArray().add(n).add(1).add(h).add(w), den.getJsonArray("shape"));
    assertEquals(4 * n * h * w, den.getJsonObject("parameters").getInteger("binary_data_size"));
    assertNull(den.getValue("data"), "binary outputs carry no JSON data");
    byte[] bin = a.binary();
    assertEquals(4 * n * h * w, bin.length, "only the denoised tensor follows the header");
    for (int i = 0; i < n; i++) {
      float[] want =
          TestModels.reference(onnx, Arrays.copyOfRange(px, i * h * w, (i + 1) * h * w), h, w);
      float[] got = floats(bin, 4 * i * h * w, h * w);
      for (int p = 0; p < want.length; p++) {
        assertEquals(want[p], got[p], 1e-5, "frame " + i + " pixel " + p);
      }
    }
    JsonObject lat = head.getJsonArray("outputs").getJsonObject(1);
    assertEquals(n * lat.getJsonArray("shape").getInteger(1), lat.getJsonArray("data").size());
  }

  @Test
  void uint8InputAndBinaryDataOutputForEveryOutputInOrder() throws Exception {
    int h = 4;
    int w = 7;
    byte[] raw = new byte[h * w];
    new Random(2).nextBytes(raw);
    float[] asFloats = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      asFloats[i] = (raw[i] & 0xff) / 255f;
    }
    String json =
        "{\"inputs\":[{\"name\":\"noisy\",\"shape\":[1,1,"
            + h
            + ","
            + w
            + "],\"datatype\":\"UINT8\","
            + "\"parameters\":{\"binary_data_size\":"
            + raw.length
            + "}}],\"parameters\":{\"binary_data_output\":true}}";
    Answer a = post(json, raw, null);
    assertEquals(200, a.status(), new String(a.body(), StandardCharsets.UTF_8));
    JsonArray outs = a.json().getJsonArray("outputs");
    assertEquals(
        List.of("denoised", "latent"),
        outs.stream().map(o -> ((JsonObject) o).getString("name")).toList());
    int denBytes = outs.getJsonObject(0).getJsonObject("parameters").getInteger("binary_data_size");
    int latBytes = outs.getJsonObject(1).getJsonObject("parameters").getInteger("binary_data_size");
    int latentDim = outs.getJsonObject(1).getJsonArray("shape").getInteger(1);
    assertEquals(4 * h * w, denBytes);
    assertEquals(4 * latentDim, latBytes);
    byte[] bin = a.binary();
    assertEquals(denBytes + latBytes, bin.length);
    float[] want = TestModels.reference(onnx, asFloats, h, w);
    float[] got = floats(bin, 0, h * w);
    for (int p = 0; p < want.length; p++) {
      assertEquals(want[p], got[p], 1e-5);
    }
    // the same request as JSON gives the same latent
    JsonArray data = new JsonArray();
    for (byte b : raw) {
      data.add(b & 0xff);
    }
    Answer j =
        post(
            new JsonObject()
                .put(
                    "inputs",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("name", "noisy")
                                .put("shape", new JsonArray().add(1).add(1).add(h).add(w))
                                .put("datatype", "UINT8")
                                .put("data", data)))
                .encode(),
            new byte[0],
            null);
    assertEquals(200, j.status());
    assertEquals("application/json", j.contentType());
    JsonArray latJson = j.json().getJsonArray("outputs").getJsonObject(1).getJsonArray("data");
    float[] latBin = floats(bin, denBytes, latentDim);
    for (int i = 0; i < latentDim; i++) {
      assertEquals(latJson.getFloat(i), latBin[i], 1e-6);
    }
  }

  @Test
  void malformedRequestsGetTyped400sAndOneLogLineEach() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(KServeApi.class);
    Logger errors = (Logger) LoggerFactory.getLogger(HttpErrors.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    errors.addAppender(lines);
    String[][] cases = {
      {"{\"inputs\":[1]}", "BAD_REQUEST"},
      {"{\"inputs\":[null]}", "BAD_REQUEST"},
      {"{\"inputs\":null}", "BAD_REQUEST"},
      {"{\"inputs\":\"noisy\"}", "BAD_REQUEST"},
      {"[1,2]", "BAD_REQUEST"},
      {"{}", "BAD_REQUEST"},
      {"{\"inputs\":[{}]}", "BAD_REQUEST"},
      {"{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\"}]}", "BAD_REQUEST"},
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[\"1\",\"1\",\"2\",\"2\"],\"data\":[0,0,0,0]}]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2.5,2],\"data\":[0,0,0,0]}]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2]}]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[0,null,0,0]}]}",
        "INVALID_FRAME"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[0,0,0]}]}",
        "INVALID_FRAME"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"UINT8\",\"shape\":[1,1,2,2],\"data\":[0,0,0,256]}]}",
        "INVALID_FRAME"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"INT64\",\"shape\":[1,1,2,2],\"data\":[0,0,0,0]}]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[9,1,2,2],\"data\":[]}]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[0,0,0,0]}],\"outputs\":[7]}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[0,0,0,0]}],\"id\":5}",
        "BAD_REQUEST"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,4294967295,4294967295],\"data\":[]}]}",
        "PAYLOAD_TOO_LARGE"
      },
      {
        "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"parameters\":[]}]}",
        "BAD_REQUEST"
      },
    };
    try {
      for (String[] c : cases) {
        int before = lines.list.size();
        Answer a = post(c[0], new byte[0], null);
        String body = new String(a.body(), StandardCharsets.UTF_8);
        int status = c[1].equals("PAYLOAD_TOO_LARGE") ? 413 : 400;
        assertEquals(status, a.status(), c[0] + " -> " + body);
        assertEquals(c[1], new JsonObject(body).getString("code"), c[0] + " -> " + body);
        assertFalse(body.contains("\tat "), "no stack trace");
        List<ILoggingEvent> logged = lines.list.subList(before, lines.list.size());
        assertEquals(1, logged.size(), c[0] + " logs one line: " + logged);
        assertNull(logged.get(0).getThrowableProxy(), "without a stack trace");
      }
    } finally {
      log.detachAppender(lines);
      errors.detachAppender(lines);
    }
    assertEquals(
        200,
        post(
                "{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[0,0.5,1,0]}]}",
                new byte[0],
                null)
            .status(),
        "and the next good request is served");
  }

  @Test
  void binarySizesThatDoNotAddUpAreRefused() throws Exception {
    float[] px = pixels(4, 3);
    String ok =
        "{\"inputs\":[{\"name\":\"noisy\",\"shape\":[1,1,2,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":16}}]}";
    assertEquals(200, post(ok, le(px), null).status());
    String wrongSize = ok.replace("16", "12");
    assertEquals(
        "INVALID_FRAME", post(wrongSize, Arrays.copyOf(le(px), 12), null).json().getString("code"));
    Answer shortBody = post(ok, Arrays.copyOf(le(px), 8), null);
    assertEquals(400, shortBody.status());
    assertEquals("INVALID_FRAME", shortBody.json().getString("code"));
    Answer trailing = post(ok, Arrays.copyOf(le(px), 20), null);
    assertEquals(400, trailing.status());
    assertTrue(
        trailing.json().getString("message").contains("4 bytes follow"), trailing.json().encode());
    assertEquals(400, post(ok, le(px), "100000").status(), "a header length beyond the body");
    assertEquals(400, post(ok, le(px), "-1").status());
    assertEquals(400, post(ok, le(px), "abc").status());
    float[] nan = px.clone();
    nan[2] = Float.NaN;
    assertEquals("INVALID_FRAME", post(ok, le(nan), null).json().getString("code"));
  }

  @Test
  void theBatchDimensionIsCappedByKserveMaxBatch() throws Exception {
    int n = 9;
    float[] px = pixels(n * 4, 4);
    String json =
        "{\"inputs\":[{\"name\":\"noisy\",\"shape\":["
            + n
            + ",1,2,2],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":"
            + 4 * px.length
            + "}}]}";
    Answer a = post(json, le(px), null);
    assertEquals(400, a.status());
    assertTrue(a.json().getString("message").contains("kserve.maxBatch"), a.json().encode());
    String eight =
        json.replace("[9,", "[8,")
            .replace(Integer.toString(4 * px.length), Integer.toString(4 * 8 * 4));
    assertEquals(200, post(eight, Arrays.copyOf(le(px), 4 * 8 * 4), null).status());
  }
}
