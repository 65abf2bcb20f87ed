package dev.denoiser;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package layering of {@code docs/architecture.md}: imports point down the layers below,
 * never up or sideways, and no group of packages depends on itself in a circle. A new package must
 * be given a layer here before it can be used.
 */
class LayeringTest {
  /** Bottom first. A class may depend on its own package and on packages of lower layers only. */
  static final List<List<String>> LAYERS =
      List.of(
          List.of("error", "config"),
          List.of("frame"),
          List.of("metrics"),
          List.of("data", "sample"),
          List.of("model"),
          List.of("model.eval", "model.selfsup", "trust"),
          List.of("inference"),
          List.of("batching", "hotswap"),
          List.of("source"),
          List.of("http", "kafka.client"),
          List.of("kafka.publish", "kafka.embedded"),
          List.of("kafka.ingest", "websocket"),
          List.of("kafka"),
          List.of("trainer"),
          List.of("service"),
          List.of("bench", "loadgen"),
          List.of("cli"));

  static final String ROOT = "dev.denoiser";

  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  static Map<String, Integer> layerOfPackage() {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < LAYERS.size(); i++) {
      for (String p : LAYERS.get(i)) {
        m.put(ROOT + "." + p, i);
      }
    }
    return m;
  }

  @Test
  void everyPackageHasALayer() {
    Map<String, Integer> layers = layerOfPackage();
    TreeSet<String> missing = new TreeSet<>();
    for (JavaClass c : classes) {
      if (!layers.containsKey(c.getPackageName())) {
        missing.add(c.getPackageName());
      }
    }
    assertTrue(missing.isEmpty(), "packages without a layer in LayeringTest.LAYERS: " + missing);
    assertTrue(classes.size() > 200, "the main classes were found: " + classes.size());
  }

  @Test
  void importsPointDownTheLayers() {
    Map<String, Integer> layers = layerOfPackage();
    List<String> upward = new ArrayList<>();
    for (JavaClass c : classes) {
      Integer from = layers.get(c.getPackageName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = d.getTargetClass().getPackageName();
        Integer to = layers.get(target);
        if (from == null || to == null || target.equals(c.getPackageName())) {
          continue;
        }
        if (to >= from) {
          upward.add(
              c.getSimpleName()
                  + " ("
                  + c.getPackageName().substring(ROOT.length() + 1)
                  + ") -> "
                  + d.getTargetClass().getSimpleName()
                  + " ("
                  + target.substring(ROOT.length() + 1)
                  + ")");
        }
      }
    }
    assertEquals(
        List.of(), upward.stream().distinct().sorted().toList(), "imports that run up or sideways");
  }

  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
  }
}
