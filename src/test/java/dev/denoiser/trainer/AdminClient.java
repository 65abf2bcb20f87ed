package dev.denoiser.trainer;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A blocking client of the admin API for tests. */
final class AdminClient {
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final String base;
  final String token;

  AdminClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  HttpResponse<String> post(String path, String body, boolean auth) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, boolean auth) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (auth) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Polls a run until it is promoted, rejected or failed (or two minutes pass); returns its last
   * state.
   */
  JsonObject awaitRun(String id) throws Exception {
    AtomicReference<JsonObject> run = new AtomicReference<>();
    try {
      Awaitility.await("run " + id + " ends")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                run.set(new JsonObject(get("/v1/admin/runs/" + id, true).body()));
                return run.get().getString("state").matches("promoted|rejected|failed");
              });
    } catch (ConditionTimeoutException e) {
      // the caller asserts the state, which names where the run stopped
    }
    return run.get();
  }
}
