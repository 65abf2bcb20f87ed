package dev.denoiser.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numbers of one load run, printed as a table and appended to a CSV. Counts (sent, answered,
 * dropped, unanswered, errors) cover the whole run; latencies (milliseconds) and throughput
 * (answered frames per second) cover the measured window. The verdict is {@code ok} when nothing
 * failed or went unanswered, p99 is within the objective and at least 95% of the target rate came
 * back answered (dropped frames do not count as served). {@code duplicates} counts answers beyond
 * the first for one frame (Kafka at-least-once after a rebalance); {@code maxLag} is the largest
 * consumer-group lag seen on the input topic during the run (-1: not measured).
 */
public record LoadReport(
    String transport,
    String mode,
    int clients,
    double ratePerClient,
    double seconds,
    long sent,
    long answered,
    long answeredMeasured,
    long dropped,
    long unanswered,
    Map<String, Long> errors,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double p99SloMs,
    long duplicates,
    long maxLag) {

  public double targetRate() {
    return clients * ratePerClient;
  }

  public double throughput() {
    return seconds <= 0 ? 0 : answeredMeasured / seconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean ok() {
    return errorCount() == 0
        && unanswered == 0
        && p99Ms <= p99SloMs
        && throughput() >= 0.95 * targetRate();
  }

  public String table() {
    String head =
        String.format(
            Locale.ROOT,
            "%-9s %-8s %7s %9s %9s %8s %8s %8s %7s %10s %8s %8s %8s %8s  %s%n",
            "transport",
            "mode",
            "clients",
            "rate/cl",
            "target/s",
            "sent",
            "answered",
            "dropped",
            "errors",
            "answered/s",
            "p50 ms",
            "p99 ms",
            "p999 ms",
            "max ms",
            "verdict");
    String row =
        String.format(
            Locale.ROOT,
            "%-9s %-8s %7d %9.1f %9.0f %8d %8d %8d %7d %10.1f %8.2f %8.2f %8.2f %8.2f  %s%n",
            transport,
            mode,
            clients,
            ratePerClient,
            targetRate(),
            sent,
            answered,
            dropped,
            errorCount(),
            throughput(),
            p50Ms,
            p99Ms,
            p999Ms,
            maxMs,
            verdict());
    String errs = errors.isEmpty() ? "" : "errors: " + errors + "\n";
    String extra =
        duplicates > 0 || maxLag >= 0
            ? "duplicates: "
                + duplicates
                + (maxLag >= 0 ? ", max consumer-group lag: " + maxLag + " records" : "")
                + "\n"
            : "";
    return head + row + errs + extra;
  }

  public String verdict() {
    return ok()
        ? "ok"
        : "NOT ok (p99 objective "
            + p99SloMs
            + " ms"
            + (unanswered > 0 ? ", " + unanswered + " unanswered" : "")
            + ")";
  }

  static final String CSV_HEADER =
      "transport,mode,clients,rate_per_client,target_per_s,seconds,sent,answered,dropped,"
          + "unanswered,errors,answered_per_s,p50_ms,p99_ms,p999_ms,max_ms,ok,duplicates,max_lag";

  public String csvRow() {
    return String.format(
        Locale.ROOT,
        "%s,%s,%d,%.2f,%.1f,%.1f,%d,%d,%d,%d,%d,%.1f,%.3f,%.3f,%.3f,%.3f,%s,%d,%s",
        transport,
        mode,
        clients,
        ratePerClient,
        targetRate(),
        seconds,
        sent,
        answered,
        dropped,
        unanswered,
        errorCount(),
        throughput(),
        p50Ms,
        p99Ms,
        p999Ms,
        maxMs,
        ok(),
        duplicates,
        maxLag >= 0 ? Long.toString(maxLag) : "");
  }

  /** Appends this run to {@code csv}, writing the header first if the file is new. */
  public void appendCsv(Path csv) throws IOException {
    Path parent = csv.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String text =
        (Files.exists(csv) && Files.size(csv) > 0 ? "" : CSV_HEADER + "\n") + csvRow() + "\n";
    Files.writeString(
        csv, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public String toString() {
    return errors.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",", csvRow() + " [", "]"));
  }
}
