package dev.denoiser.cli;

import dev.denoiser.config.Setting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code health}: asks a running service whether it is ready ({@code GET /v2/health/ready}) or live
 * ({@code --live}: {@code GET /v2/health/live}) and exits 0 for HTTP 200, 1 for anything else
 * (another status, refused connection, time-out). Made for container health checks, since JRE
 * images may have no curl.
 *
 * <p>The port is {@code --port}, else the environment variable of {@code http.port} ({@code
 * DENOISER_HTTP_PORT}), else its default, so a container that moves the port through its
 * environment is checked on the right one.
 */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description =
        "Exit 0 if the service on this host answers /v2/health/ready (or /v2/health/live) with 200, else 1.")
public final class HealthCommand implements Callable<Integer> {
  public static final String READY = "/v2/health/ready";
  public static final String LIVE = "/v2/health/live";

  @Option(names = "--port", description = "HTTP port (default: $DENOISER_HTTP_PORT, else 8080).")
  public Integer port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Host (default ${DEFAULT-VALUE}).")
  public String host;

  @Option(names = "--live", description = "Check liveness instead of readiness.")
  public boolean live;

  @Option(
      names = "--timeout-ms",
      defaultValue = "3000",
      description = "Connect and answer time-out (default ${DEFAULT-VALUE} ms).")
  long timeoutMillis;

  @Option(names = "--quiet", description = "Print nothing.")
  boolean quiet;

  @Override
  public Integer call() {
    URI uri = uri(System.getenv());
    int status = status(uri, Duration.ofMillis(Math.max(1, timeoutMillis)));
    if (!quiet) {
      System.out.println(uri + " -> " + (status > 0 ? Integer.toString(status) : "no answer"));
    }
    return status == 200 ? 0 : 1;
  }

  public URI uri(Map<String, String> env) {
    int p = port != null ? port : portFrom(env);
    return URI.create("http://" + host + ":" + p + (live ? LIVE : READY));
  }

  static int portFrom(Map<String, String> env) {
    String v = env.get(Setting.HTTP_PORT.envName());
    if (v != null && !v.isBlank()) {
      return Integer.parseInt(v.trim());
    }
    return ((Number) Setting.HTTP_PORT.defaultValue()).intValue();
  }

  /** The HTTP status of a GET of {@code uri}, or -1 when there was no answer in time. */
  public static int status(URI uri, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    try {
      return client
          .send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
