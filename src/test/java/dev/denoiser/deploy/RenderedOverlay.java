package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoiser.config.Settings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An overlay rendered by {@link Kustomize} and loaded into fabric8's Kubernetes model. */
public final class RenderedOverlay {
  static final KubernetesSerialization K8S = new KubernetesSerialization();
  final Path dir;
  final List<Kustomize.Doc> docs;
  final List<HasMetadata> objects = new ArrayList<>();

  public RenderedOverlay(Path dir) {
    this.dir = dir;
    this.docs = Kustomize.build(dir);
    for (Kustomize.Doc d : docs) {
      objects.add(typed(d.body()));
    }
  }

  static HasMetadata typed(Map<String, Object> body) {
    return K8S.unmarshal(K8S.asJson(body), HasMetadata.class);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> l = all(type);
    assertEquals(1, l.size(), dir + ": one " + type.getSimpleName());
    return l.get(0);
  }

  /** The raw body of every object of a kind (custom resources such as KEDA's ScaledObject). */
  List<Map<String, Object>> raw(String kind) {
    return docs.stream().filter(d -> d.kind().equals(kind)).map(Kustomize.Doc::body).toList();
  }

  Deployment deployment() {
    return one(Deployment.class);
  }

  public Container container() {
    List<Container> cs = deployment().getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, cs.size(), "one container");
    return cs.get(0);
  }

  ConfigMap configMap() {
    return one(ConfigMap.class);
  }

  Service service() {
    return one(Service.class);
  }

  PodDisruptionBudget pdb() {
    return one(PodDisruptionBudget.class);
  }

  NetworkPolicy networkPolicy() {
    return one(NetworkPolicy.class);
  }

  /** The service's settings as the pods get them: the ConfigMap's variables. */
  Settings settings() {
    return Configs.fromEnv(configMap().getData());
  }

  Map<String, String> podLabels() {
    return deployment().getSpec().getTemplate().getMetadata().getLabels();
  }
}
