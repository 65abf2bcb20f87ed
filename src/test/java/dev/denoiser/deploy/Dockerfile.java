package dev.denoiser.deploy;

import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into stages of instructions: comments dropped, continuation lines joined,
 * exec-form arguments ({@code ["a", "b"]}) parsed as JSON, {@code ENV k=v} pairs split. Enough of
 * the format to check this repository's Dockerfiles without a Docker engine.
 */
final class Dockerfile {
  /** One instruction: keyword upper-cased, the rest as written. */
  record Instruction(String keyword, String rest) {}

  /** One build stage: its FROM image, optional name, and instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Instruction last(String keyword) {
      List<Instruction> l = all(keyword);
      return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Every ENV pair of the stage, in order. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
      for (Instruction i : all("ENV")) {
        m.reset(i.rest());
        while (m.find()) {
          String v = m.group(2);
          env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
      }
      return env;
    }
  }

  final Path path;
  final Map<String, String> args = new LinkedHashMap<>();
  final List<Stage> stages = new ArrayList<>();

  private Dockerfile(Path path) {
    this.path = path;
  }

  static Dockerfile read(Path path) {
    Dockerfile d = new Dockerfile(path);
    StringBuilder logical = new StringBuilder();
    for (String raw : Repo.read(path).split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && logical.length() == 0)) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      d.add(logical.toString().strip());
      logical.setLength(0);
    }
    return d;
  }

  private void add(String line) {
    if (line.isEmpty()) {
      return;
    }
    int sp = line.indexOf(' ');
    String kw = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
    if (kw.equals("ARG") && stages.isEmpty()) {
      String[] kv = rest.split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "");
    } else if (kw.equals("FROM")) {
      String[] parts = rest.split("\\s+");
      String image = substitute(parts[0]);
      String name = parts.length >= 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : null;
      stages.add(new Stage(image, name, new ArrayList<>()));
    } else {
      stages.get(stages.size() - 1).instructions().add(new Instruction(kw, rest));
    }
  }

  private String substitute(String s) {
    String out = s;
    for (Map.Entry<String, String> a : args.entrySet()) {
      out =
          out.replace("${" + a.getKey() + "}", a.getValue())
              .replace("$" + a.getKey(), a.getValue());
    }
    return out;
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> name.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(path + " has no stage " + name));
  }

  /** The exec form {@code ["a", "b"]} as a list; fails for the shell form. */
  static List<String> execForm(String rest) {
    String s = rest.strip();
    if (!s.startsWith("[")) {
      throw new AssertionError("expected the exec form [\"...\"], got: " + rest);
    }
    List<String> out = new ArrayList<>();
    new JsonArray(s).forEach(o -> out.add(o.toString()));
    return out;
  }

  /** HEALTHCHECK's command, after its --options and CMD. */
  static List<String> healthcheckCommand(String rest) {
    int cmd = rest.indexOf("CMD ");
    if (cmd < 0) {
      throw new AssertionError("HEALTHCHECK without CMD: " + rest);
    }
    return execForm(rest.substring(cmd + 4));
  }
}
