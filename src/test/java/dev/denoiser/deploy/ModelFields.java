package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

/**
 * Walks a fabric8 model object and fails on any field the Kubernetes schema does not have: the
 * model keeps unknown YAML keys in {@code additionalProperties}, so a misspelt or misplaced key
 * (say {@code readinessprobe}, or {@code ports} under the pod) shows up there.
 */
final class ModelFields {
  private ModelFields() {}

  static void assertAllKnown(Object o, String path) throws Exception {
    if (o == null) {
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        assertAllKnown(e.getValue(), path + "." + e.getKey());
      }
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        assertAllKnown(x, path + "[" + i++ + "]");
      }
      return;
    }
    if (o instanceof GenericKubernetesResource g) {
      // a custom resource: its spec is free-form for the model; only the metadata is checked
      assertAllKnown(g.getMetadata(), path + ".metadata");
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v = m.invoke(o);
      if (m.getName().equals("getAdditionalProperties")) {
        assertTrue(
            v == null || ((Map<?, ?>) v).isEmpty(),
            path + " has fields Kubernetes does not know: " + v);
      } else if (!m.getName().equals("getNumericalAmount")) {
        assertAllKnown(v, path + "." + m.getName().substring(3));
      }
    }
  }
}
