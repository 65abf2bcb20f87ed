package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay and the trainer, rendered by the real kustomize ({@code kubectl kustomize}), then
 * checked against the Kubernetes API schema as far as it goes offline (a server-side or {@code
 * kubectl apply --dry-run=client} check needs a cluster's OpenAPI document): each object loads into
 * fabric8's generated model of the API with no unknown field, names are DNS labels, ConfigMap data
 * are strings, containers have a name and an image (rewritten by the overlay's {@code images}),
 * ports are in range and named ports are IANA service names, resource quantities parse, and
 * requests do not exceed limits.
 */
class RenderedManifestsSchemaTest {
  static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  static Stream<String> kustomizations() {
    List<String> all = new ArrayList<>(KubernetesManifestsTest.OVERLAYS);
    all.add(TrainerManifestsTest.TRAINER);
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void renderedObjectsFitTheKubernetesSchema(String dir) throws Exception {
    List<Kustomize.Doc> docs = Kustomize.build(Repo.file(dir));
    assertFalse(docs.isEmpty(), dir + " renders objects");
    for (Kustomize.Doc d : docs) {
      String where = dir + ": " + d.id();
      assertNotNull(d.body().get("apiVersion"), where + " apiVersion");
      assertTrue(
          DNS_1123_SUBDOMAIN.matcher(d.name()).matches() && d.name().length() <= 253,
          where + ": metadata.name");
      HasMetadata o = RenderedOverlay.typed(d.body());
      if (String.valueOf(d.body().get("apiVersion")).startsWith("keda.sh/")) {
        assertEquals("ScaledObject", o.getKind(), where);
      } else {
        assertFalse(o instanceof GenericKubernetesResource, where + " is not a Kubernetes kind");
      }
      ModelFields.assertAllKnown(o, where);
      if (o instanceof ConfigMap cm) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) d.body().getOrDefault("data", Map.of());
        data.forEach(
            (k, v) ->
                assertTrue(
                    v instanceof String,
                    where + ": data." + k + " must be a string (quote it), got " + v));
      }
      if (o instanceof Deployment dep) {
        assertNotNull(dep.getSpec().getSelector(), where + ": spec.selector");
        PodSpec pod = dep.getSpec().getTemplate().getSpec();
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(pod.getInitContainers());
        for (Container c : all) {
          assertContainer(c, where);
        }
      }
      if (o instanceof Service s) {
        assertFalse(s.getSpec().getPorts().isEmpty(), where + ": spec.ports");
        s.getSpec()
            .getPorts()
            .forEach(
                p ->
                    assertTrue(
                        p.getPort() > 0 && p.getPort() < 65536, where + ": port " + p.getPort()));
      }
    }
  }

  static void assertContainer(Container c, String where) {
    String at = where + " container " + c.getName();
    assertTrue(
        c.getName() != null
            && DNS_1123_LABEL.matcher(c.getName()).matches()
            && c.getName().length() <= 63,
        at + ": name");
    assertTrue(c.getImage() != null && !c.getImage().isBlank(), at + ": image");
    if (c.getImage().startsWith("stream-denoiser")) {
      throw new AssertionError(
          at + ": image " + c.getImage() + " was not rewritten by the kustomization's images");
    }
    for (ContainerPort p : c.getPorts()) {
      assertTrue(p.getContainerPort() > 0 && p.getContainerPort() < 65536, at + ": containerPort");
      if (p.getName() != null) {
        assertTrue(
            PORT_NAME.matcher(p.getName()).matches() && p.getName().length() <= 15,
            at + ": port name " + p.getName());
      }
    }
    if (c.getResources() != null) {
      Map<String, Quantity> req =
          c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
      Map<String, Quantity> lim =
          c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
      req.forEach(
          (k, q) -> {
            Quantity.getAmountInBytes(q);
            Quantity l = lim.get(k);
            if (l != null) {
              assertTrue(
                  Quantity.getAmountInBytes(q).compareTo(Quantity.getAmountInBytes(l)) <= 0,
                  at + ": request of " + k + " over its limit");
            }
          });
      lim.values().forEach(Quantity::getAmountInBytes);
    }
  }
}
