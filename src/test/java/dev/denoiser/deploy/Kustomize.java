package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Just enough of kustomize to render this repository's overlays offline and check them: a
 * kustomization's {@code resources} (files, or directories with their own kustomization),
 * {@code components} ({@code kind: Component}), {@code patches} given by {@code path} (strategic
 * merge for built-in kinds, where lists of named items merge by name; JSON merge for custom
 * resources, whose lists are replaced) and {@code images}. Every path must exist, every patch must
 * hit a resource and every image entry a container, or the test fails.
 */
final class Kustomize {
  private static final Set<String> BUILT_IN_GROUPS = Set.of("v1", "apps/v1", "policy/v1", "networking.k8s.io/v1",
      "autoscaling/v2", "batch/v1");

  /** One rendered object and the file it came from. */
  record Doc(Path source, Map<String, Object> body) {
    String kind() {
      return String.valueOf(body.get("kind"));
    }

    String name() {
      return String.valueOf(meta().get("name"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> meta() {
      return (Map<String, Object>) body.getOrDefault("metadata", Map.of());
    }

    String id() {
      return kind() + "/" + name();
    }
  }

  private Kustomize() {}

  /** Renders the kustomization in {@code dir}. */
  static List<Doc> build(Path dir) {
    return build(dir, "Kustomization");
  }

  @SuppressWarnings("unchecked")
  private static List<Doc> build(Path dir, String expectedKind) {
    Map<String, Object> k = kustomization(dir);
    assertEquals(expectedKind, k.get("kind"), dir + "/kustomization.yaml");
    List<Doc> docs = new ArrayList<>();
    for (String r : strings(k.get("resources"))) {
      Path p = dir.resolve(r).normalize();
      assertTrue(Files.exists(p), dir + ": resource " + r + " does not exist");
      docs.addAll(Files.isDirectory(p) ? build(p) : load(p));
    }
    for (String c : strings(k.get("components"))) {
      Path p = dir.resolve(c).normalize();
      assertTrue(Files.isDirectory(p), dir + ": component " + c + " does not exist");
      List<Doc> added = build(p, "Component");
      docs.addAll(added);
    }
    for (Object patch : (List<Object>) k.getOrDefault("patches", List.of())) {
      String path = String.valueOf(((Map<String, Object>) patch).get("path"));
      Path p = dir.resolve(path).normalize();
      assertTrue(Files.isRegularFile(p), dir + ": patch " + path + " does not exist");
      for (Doc d : load(p)) {
        int i = indexOf(docs, d.id());
        assertTrue(i >= 0, dir + ": patch " + path + " names " + d.id() + ", which is not among " + ids(docs));
        boolean strategic = BUILT_IN_GROUPS.contains(String.valueOf(d.body().get("apiVersion")));
        docs.set(i, new Doc(docs.get(i).source(), (Map<String, Object>) merge(docs.get(i).body(), d.body(), strategic)));
      }
    }
    for (Object image : (List<Object>) k.getOrDefault("images", List.of())) {
      Map<String, Object> img = (Map<String, Object>) image;
      int hits = retag(docs, String.valueOf(img.get("name")), (String) img.get("newName"), img.get("newTag"));
      assertTrue(hits > 0, dir + ": images entry " + img.get("name") + " matches no container image");
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> kustomization(Path dir) {
    Path f = dir.resolve("kustomization.yaml");
    assertTrue(Files.isRegularFile(f), dir + " has no kustomization.yaml");
    return (Map<String, Object>) new Yaml().load(Repo.read(f));
  }

  /** Every YAML document of a file (comments and empty documents skipped). */
  @SuppressWarnings("unchecked")
  static List<Doc> load(Path file) {
    List<Doc> out = new ArrayList<>();
    for (Object o : new Yaml().loadAll(Repo.read(file))) {
      if (o != null) {
        out.add(new Doc(file, (Map<String, Object>) o));
      }
    }
    return out;
  }

  static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      l.forEach(o -> out.add(o.toString()));
    }
    return out;
  }

  private static int indexOf(List<Doc> docs, String id) {
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> ids(List<Doc> docs) {
    return docs.stream().map(Doc::id).toList();
  }

  @SuppressWarnings("unchecked")
  static Object merge(Object base, Object patch, boolean strategic) {
    if (base instanceof Map<?, ?> b && patch instanceof Map<?, ?> p) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) b);
      ((Map<String, Object>) p).forEach((k, v) -> {
        if (v == null) {
          out.remove(k);
        } else {
          out.put(k, out.containsKey(k) ? merge(out.get(k), v, strategic) : v);
        }
      });
      return out;
    }
    if (strategic && base instanceof List<?> b && patch instanceof List<?> p && named(b) && named(p)) {
      List<Object> out = new ArrayList<>(b);
      for (Object item : p) {
        Object name = ((Map<String, Object>) item).get("name");
        int at = -1;
        for (int i = 0; i < out.size(); i++) {
          if (name.equals(((Map<String, Object>) out.get(i)).get("name"))) {
            at = i;
          }
        }
        if (at >= 0) {
          out.set(at, merge(out.get(at), item, true));
        } else {
          out.add(item);
        }
      }
      return out;
    }
    return patch;
  }

  private static boolean named(List<?> l) {
    return !l.isEmpty() && l.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("name") != null);
  }

  @SuppressWarnings("unchecked")
  private static int retag(List<Doc> docs, String name, String newName, Object newTag) {
    int hits = 0;
    for (Doc d : docs) {
      Object spec = d.body().get("spec");
      if (!(spec instanceof Map<?, ?> s) || !(s.get("template") instanceof Map<?, ?> t)
          || !(t.get("spec") instanceof Map<?, ?> ps)) {
        continue;
      }
      for (Object c : (List<Object>) ((Map<String, Object>) ps).getOrDefault("containers", List.of())) {
        Map<String, Object> container = (Map<String, Object>) c;
        String image = String.valueOf(container.get("image"));
        String repo = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        if (repo.equals(name)) {
          String tag = newTag != null ? newTag.toString() : image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : null;
          container.put("image", (newName != null ? newName : repo) + (tag != null ? ":" + tag : ""));
          hits++;
        }
      }
    }
    return hits;
  }
}
