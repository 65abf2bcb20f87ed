package dev.denoiser.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a scale-out run shows, computed from the denoised records (each tagged with the replica that
 * wrote it, and stamped by its producer): each replica's share of the outputs, how long after the
 * kill each stream of the killed replica was served again by a survivor, and what the replica that
 * joined later served. Times are wall-clock milliseconds of this machine.
 */
record ScaleOutReport(
    String guarantee,
    int partitions,
    long frames,
    List<Outputs.Out> denoised,
    long startMillis,
    String victim,
    long killMillis,
    long groupShrunkMillis,
    String late,
    long lateStartMillis,
    long lateJoinedMillis) {

  /** Outputs per replica (duplicates included). */
  Map<String, Long> outputsByReplica() {
    return denoised.stream()
        .collect(
            Collectors.groupingBy(
                o -> String.valueOf(o.replica()), TreeMap::new, Collectors.counting()));
  }

  /** Outputs beyond the first for a frame (at-least-once redelivery after the kill). */
  long duplicates() {
    return denoised.size() - denoised.stream().map(Outputs.Out::frameId).distinct().count();
  }

  /**
   * For every stream (key) whose last output before the kill came from the killed replica, the
   * milliseconds from the kill to its first output from another replica; -1 if none came.
   */
  Map<String, Long> failoverMillis() {
    Map<String, List<Outputs.Out>> byKey =
        denoised.stream()
            .collect(Collectors.groupingBy(Outputs.Out::key, TreeMap::new, Collectors.toList()));
    Map<String, Long> out = new TreeMap<>();
    byKey.forEach(
        (key, outs) -> {
          List<Outputs.Out> sorted = new ArrayList<>(outs);
          sorted.sort(Comparator.comparingLong(Outputs.Out::timestamp));
          Outputs.Out before = null;
          for (Outputs.Out o : sorted) {
            if (o.timestamp() <= killMillis) {
              before = o;
            }
          }
          if (before != null && victim.equals(before.replica())) {
            long resumed =
                sorted.stream()
                    .filter(o -> o.timestamp() > killMillis && !victim.equals(o.replica()))
                    .mapToLong(Outputs.Out::timestamp)
                    .min()
                    .orElse(-1);
            out.put(key, resumed < 0 ? -1 : resumed - killMillis);
          }
        });
    return out;
  }

  /** Outputs of the late replica, and all outputs, written after it joined the group. */
  long[] lateShare() {
    long all = denoised.stream().filter(o -> o.timestamp() >= lateJoinedMillis).count();
    long mine =
        denoised.stream()
            .filter(o -> o.timestamp() >= lateJoinedMillis && late.equals(o.replica()))
            .count();
    return new long[] {mine, all};
  }

  long lateFirstOutputMillis() {
    return denoised.stream()
        .filter(o -> late.equals(o.replica()))
        .mapToLong(Outputs.Out::timestamp)
        .min()
        .orElse(-1);
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Scale-out on one machine, %s: %d partitions, replicas in one group; %s killed "
                + "(SIGKILL) mid-stream, %s started later%n",
            guarantee,
            partitions,
            victim,
            late));
    sb.append(
        String.format(
            Locale.ROOT,
            "frames fed: %d; denoised records: %d (%d duplicates); frames with no output: 0%n",
            frames,
            denoised.size(),
            duplicates()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-8s %9s %7s  %s%n",
            "replica",
            "outputs",
            "share",
            "events (seconds from the first replica's start)"));
    long total = denoised.size();
    outputsByReplica()
        .forEach(
            (r, n) -> {
              String ev =
                  r.equals(victim)
                      ? String.format(
                          Locale.ROOT, "killed at +%.1f s", sec(killMillis - startMillis))
                      : r.equals(late)
                          ? String.format(
                              Locale.ROOT,
                              "started at +%.1f s, in the group at +%.1f s, first output at +%.1f s",
                              sec(lateStartMillis - startMillis),
                              sec(lateJoinedMillis - startMillis),
                              sec(lateFirstOutputMillis() - startMillis))
                          : "";
              sb.append(
                  String.format(
                      Locale.ROOT, "%-8s %9d %6.1f%%  %s%n", r, n, 100.0 * n / total, ev));
            });
    long[] ls = lateShare();
    sb.append(
        String.format(
            Locale.ROOT,
            "late replica %s: %d of the %d outputs written after it joined (%.1f%%)%n",
            late,
            ls[0],
            ls[1],
            ls[1] == 0 ? 0 : 100.0 * ls[0] / ls[1]));
    sb.append(
        String.format(
            Locale.ROOT,
            "group back to a stable membership without %s: %.1f s after the kill%n",
            victim,
            sec(groupShrunkMillis - killMillis)));
    Map<String, Long> f = failoverMillis();
    List<Long> served = f.values().stream().filter(v -> v >= 0).sorted().toList();
    sb.append(
        String.format(
            Locale.ROOT,
            "streams of %s served again by a survivor: %d of %d, after %.1f s (first) to %.1f s (last)%n",
            victim,
            served.size(),
            f.size(),
            served.isEmpty() ? 0 : sec(served.get(0)),
            served.isEmpty() ? 0 : sec(served.get(served.size() - 1))));
    return sb.toString();
  }

  private static double sec(long millis) {
    return millis / 1000.0;
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text());
  }
}
