package dev.denoiser.loadgen;

import dev.denoiser.data.NoisyDigits;
import dev.denoiser.error.UserError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code loadgen ws}: N WebSocket feeds of noisy 28x28 digits (gray8) at a target rate each,
 * against {@code /v1/stream} (loopback by default). Prints the table of {@link LoadReport}, appends
 * it to the CSV, and exits 0 when the verdict is ok, 3 when it is not.
 */
@Command(
    name = "ws",
    mixinStandardHelpOptions = true,
    description = "WebSocket load: N concurrent /v1/stream clients at a target frames/s each.")
public final class WsLoadCommand implements Callable<Integer> {
  static final double P99_SLO_MS = 25;

  @Mixin LoadOptions load;

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:8080/v1/stream",
      description = "Endpoint (default ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--model", description = "Model name (default: the server's default model).")
  String model;

  @Option(
      names = "--mode",
      defaultValue = "live",
      description = "live or lossless (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--window",
      description =
          "Lossless in-flight window per connection (default: the server's stream.maxInFlight).")
  Integer window;

  @Option(names = "--latent", description = "Ask for the latent code in every reply.")
  boolean latent;

  @Option(names = "--token", description = "Bearer token, if the server sets auth.token.")
  String token;

  @Option(
      names = "--drain",
      defaultValue = "5000",
      description =
          "Milliseconds to wait for outstanding replies at the end (default ${DEFAULT-VALUE}).")
  long drainMillis;

  @Override
  public Integer call() throws Exception {
    if (load.clients < 1 || load.rate <= 0) {
      throw new UserError("--clients must be at least 1 and --rate above 0");
    }
    NoisyDigits.Pool frames = new NoisyDigits(42, load.noise, 28).pool(256);
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClient client =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxConnections(load.clients)
                  .setConnectTimeout(10_000));
      LoadStats stats = new LoadStats();
      List<WsLoadClient> feeds = new ArrayList<>();
      List<Future<Void>> connected = new ArrayList<>();
      for (int i = 0; i < load.clients; i++) {
        WsLoadClient c = new WsLoadClient(vertx, frames, stats, load.rate, load.maxFrames);
        feeds.add(c);
        connected.add(c.connect(client, connectOptions(frames)));
      }
      // a refused or failed connection is counted as an error by its feed; the others run
      Future.join(connected)
          .recover(e -> Future.succeededFuture())
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      long first = System.nanoTime() + 100_000_000L;
      long from = first + load.warmup.toNanos();
      long end = from + load.duration.toNanos();
      stats.window(from, end);
      long period = Math.round(1e9 / load.rate);
      for (int i = 0; i < feeds.size(); i++) {
        feeds.get(i).start(first + period * i / feeds.size(), end);
      }
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      List<Future<Void>> finished = new ArrayList<>();
      feeds.forEach(f -> finished.add(f.finish(drainMillis)));
      Future.join(finished)
          .toCompletionStage()
          .toCompletableFuture()
          .get(drainMillis + 30_000, TimeUnit.MILLISECONDS);
      LoadReport report =
          stats.report("ws", mode, load.clients, load.rate, load.p99SloMs(P99_SLO_MS));
      System.out.print(report.table());
      report.appendCsv(load.csv);
      return report.ok() ? 0 : 3;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private WebSocketConnectOptions connectOptions(NoisyDigits.Pool frames) {
    StringBuilder q =
        new StringBuilder("mode=")
            .append(enc(mode))
            .append("&format=gray8&width=")
            .append(frames.width())
            .append("&height=")
            .append(frames.height());
    if (model != null) {
      q.append("&model=").append(enc(model));
    }
    if (window != null) {
      q.append("&window=").append(window);
    }
    if (latent) {
      q.append("&latent=true");
    }
    WebSocketConnectOptions o =
        new WebSocketConnectOptions()
            .setHost(url.getHost())
            .setPort(url.getPort() > 0 ? url.getPort() : "wss".equals(url.getScheme()) ? 443 : 80)
            .setSsl("wss".equals(url.getScheme()))
            .setURI(url.getRawPath() + "?" + q);
    if (token != null && !token.isEmpty()) {
      o.addHeader("Authorization", "Bearer " + token);
    }
    return o;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
