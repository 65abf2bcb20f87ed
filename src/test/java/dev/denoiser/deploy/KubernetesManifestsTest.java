package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.HealthCommand;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.kafka.client.KafkaOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests, loaded with fabric8's Kubernetes model (no cluster): every file with no
 * field Kubernetes does not know, every kustomization with existing files and patch targets, and
 * every overlay, rendered, agreeing with the service: probes on its health endpoints and its
 * http.port, environment variables that are config keys, the command the jar runs, a termination
 * grace longer than the drain, KEDA on the configured topic and group with no more replicas than
 * partitions, and one autoscaler per overlay.
 */
public class KubernetesManifestsTest {
  public static final List<String> OVERLAYS =
      List.of("k8s/overlays/cpu", "k8s/overlays/cpu-hpa", "k8s/overlays/gpu");

  static RenderedOverlay render(String overlay) {
    return new RenderedOverlay(Repo.file(overlay));
  }

  @Test
  void everyManifestLoadsIntoTheKubernetesModelWithNoUnknownField() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Repo.file("k8s"))) {
      files =
          s.filter(
                  p ->
                      p.toString().endsWith(".yaml")
                          && !p.getFileName().toString().equals("kustomization.yaml"))
              .toList();
    }
    assertTrue(files.size() >= 8, "manifests found: " + files);
    for (Path f : files) {
      for (Kustomize.Doc d : Kustomize.load(f)) {
        HasMetadata o = RenderedOverlay.typed(d.body());
        String api = String.valueOf(d.body().get("apiVersion"));
        if (api.startsWith("keda.sh/")) {
          assertEquals("keda.sh/v1alpha1", api);
          assertEquals("ScaledObject", o.getKind());
        } else {
          assertFalse(
              o instanceof GenericKubernetesResource,
              f + ": " + api + " " + d.kind() + " is not a Kubernetes kind");
        }
        ModelFields.assertAllKnown(o, f.getFileName() + ":" + d.id());
      }
    }
  }

  @Test
  void baseAndEveryOverlayBuildWithExistingFilesAndPatchTargets() {
    assertEquals(5, Kustomize.build(Repo.file("k8s/base")).size());
    for (String o : OVERLAYS) {
      assertEquals(6, Kustomize.build(Repo.file(o)).size(), o + ": the base plus one autoscaler");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/overlays/cpu", "k8s/overlays/cpu-hpa", "k8s/overlays/gpu"})
  void theDeploymentRunsTheServeCommandOnHttpPortWithProbesOnItsHealthEndpoints(String overlay) {
    RenderedOverlay r = render(overlay);
    Settings s = r.settings();
    KafkaOptions.from(s, "unused");
    Container c = r.container();
    assertTrue(
        c.getCommand().isEmpty(),
        "the image's entrypoint (java with its flags) is kept: " + c.getCommand());
    JavaCommand run =
        DockerfileTest.entrypoint(Dockerfile.read(Repo.file(DockerfileTest.CPU)))
            .withArgs(c.getArgs());
    assertEquals(List.of("serve"), JavaCommand.commandPath(run.parse()));
    JavaCommand.sets(run.parse());
    assertEquals(1, c.getEnvFrom().size());
    assertEquals(
        r.configMap().getMetadata().getName(), c.getEnvFrom().get(0).getConfigMapRef().getName());
    c.getEnv().stream()
        .filter(e -> e.getName().startsWith("DENOISER_"))
        .forEach(e -> Configs.keyOf(e.getName()));

    ContainerPort http =
        c.getPorts().stream()
            .filter(p -> "http".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("a container port named http"));
    assertEquals(
        s.getInt(Setting.HTTP_PORT), http.getContainerPort(), "container port = http.port");
    assertProbe(c.getReadinessProbe(), HealthCommand.READY, http);
    assertProbe(c.getLivenessProbe(), HealthCommand.LIVE, http);
    assertProbe(c.getStartupProbe(), HealthCommand.LIVE, http);
    assertEquals(
        s.getString(Setting.MODELS_DIR),
        Dockerfile.read(Repo.file(DockerfileTest.CPU))
            .finalStage()
            .env()
            .get(Setting.MODELS_DIR.envName()),
        "models.dir is where the image has them");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/overlays/cpu", "k8s/overlays/cpu-hpa", "k8s/overlays/gpu"})
  void podsDrainBeforeTheyAreKilledAndRunAsTheImagesUserWithinLimits(String overlay) {
    RenderedOverlay r = render(overlay);
    Settings s = r.settings();
    PodSpec pod = r.deployment().getSpec().getTemplate().getSpec();
    Container c = r.container();
    long preStop = preStopSleepSeconds(c);
    assertTrue(
        preStop > 0, "a preStop sleep lets the Service stop routing to the pod before SIGTERM");
    long drain =
        (s.getLong(Setting.KAFKA_SHUTDOWN_GRACE_MS)
                + s.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS)
                + 999)
            / 1000;
    assertTrue(
        pod.getTerminationGracePeriodSeconds() > preStop + drain,
        "terminationGracePeriodSeconds "
            + pod.getTerminationGracePeriodSeconds()
            + " must exceed preStop "
            + preStop
            + " s + drain "
            + drain
            + " s");

    Map<String, Quantity> req = c.getResources().getRequests();
    Map<String, Quantity> lim = c.getResources().getLimits();
    for (String res : List.of("cpu", "memory")) {
      assertNotNull(req.get(res), "request " + res);
      assertNotNull(lim.get(res), "limit " + res);
      assertTrue(
          Quantity.getAmountInBytes(req.get(res)).compareTo(Quantity.getAmountInBytes(lim.get(res)))
              <= 0,
          res + ": request <= limit");
    }
    double cpus = Quantity.getAmountInBytes(lim.get("cpu")).doubleValue();
    assertTrue(
        s.getInt(Setting.INFERENCE_INTRA_OP_THREADS) >= 1
            && s.getInt(Setting.INFERENCE_INTRA_OP_THREADS) <= Math.ceil(cpus),
        "ONNX Runtime threads within the CPU limit (0 would count the node's cores)");

    String user =
        Dockerfile.read(Repo.file(DockerfileTest.CPU))
            .finalStage()
            .last("USER")
            .rest()
            .split(":")[0];
    assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(Long.parseLong(user), pod.getSecurityContext().getRunAsUser(), "the image's USER");
    if (Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
      assertTrue(
          c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
          "read-only root: /tmp (ONNX Runtime's native library, Vert.x cache) is a volume");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/overlays/cpu", "k8s/overlays/cpu-hpa", "k8s/overlays/gpu"})
  void serviceBudgetPolicyAndAntiAffinitySelectThePods(String overlay) {
    RenderedOverlay r = render(overlay);
    Map<String, String> labels = r.podLabels();
    Container c = r.container();
    assertSelects(r.deployment().getSpec().getSelector(), labels, "Deployment");
    assertSelects(r.pdb().getSpec().getSelector(), labels, "PodDisruptionBudget");
    assertSelects(r.networkPolicy().getSpec().getPodSelector(), labels, "NetworkPolicy");
    assertTrue(
        labels.entrySet().containsAll(r.service().getSpec().getSelector().entrySet()),
        "the Service selects the pods");
    r.service()
        .getSpec()
        .getPorts()
        .forEach(p -> assertResolves(p.getTargetPort(), c, "Service targetPort"));

    var anti = r.deployment().getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
    assertNotNull(anti, "pod anti-affinity");
    Stream.concat(
            anti.getPreferredDuringSchedulingIgnoredDuringExecution().stream()
                .map(w -> w.getPodAffinityTerm()),
            anti.getRequiredDuringSchedulingIgnoredDuringExecution().stream())
        .forEach(t -> assertSelects(t.getLabelSelector(), labels, "anti-affinity"));

    var np = r.networkPolicy().getSpec();
    assertTrue(
        np.getIngress().stream()
            .flatMap(i -> i.getPorts().stream())
            .anyMatch(p -> resolves(p.getPort(), c) == httpPort(c)),
        "ingress allows the http port");
    for (String server : r.settings().getString(Setting.KAFKA_BOOTSTRAP_SERVERS).split(",")) {
      int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1).trim());
      assertTrue(
          np.getEgress().stream()
              .flatMap(e -> e.getPorts().stream())
              .map(NetworkPolicyPort::getPort)
              .anyMatch(p -> p != null && p.getIntVal() != null && p.getIntVal() == port),
          "egress to Kafka on port " + port);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/overlays/cpu", "k8s/overlays/cpu-hpa", "k8s/overlays/gpu"})
  void oneAutoscalerScalesTheDeploymentWithinThePartitions(String overlay) {
    RenderedOverlay r = render(overlay);
    Settings s = r.settings();
    int partitions = s.getInt(Setting.KAFKA_TOPIC_PARTITIONS);
    List<Map<String, Object>> keda = r.raw("ScaledObject");
    List<HorizontalPodAutoscaler> hpa = r.all(HorizontalPodAutoscaler.class);
    assertEquals(1, keda.size() + hpa.size(), overlay + ": exactly one autoscaler");
    String deployment = r.deployment().getMetadata().getName();
    if (!hpa.isEmpty()) {
      var spec = hpa.get(0).getSpec();
      assertEquals(deployment, spec.getScaleTargetRef().getName());
      assertEquals("Deployment", spec.getScaleTargetRef().getKind());
      assertTrue(
          spec.getMaxReplicas() <= partitions, "maxReplicas <= partitions (" + partitions + ")");
      assertTrue(spec.getMinReplicas() >= 1 && spec.getMinReplicas() <= spec.getMaxReplicas());
      assertTrue(
          spec.getMetrics().stream().anyMatch(m -> "cpu".equals(m.getResource().getName())),
          "on CPU");
      return;
    }
    Map<String, Object> spec = map(keda.get(0), "spec");
    assertEquals(deployment, map(spec, "scaleTargetRef").get("name"));
    int max = ((Number) spec.get("maxReplicaCount")).intValue();
    int min = ((Number) spec.get("minReplicaCount")).intValue();
    assertTrue(
        max <= partitions,
        "maxReplicaCount "
            + max
            + " <= partitions "
            + partitions
            + ": more consumers would sit idle");
    assertTrue(min >= 1 && min <= max);
    List<?> triggers = (List<?>) spec.get("triggers");
    assertEquals(1, triggers.size());
    @SuppressWarnings("unchecked")
    Map<String, Object> trigger = (Map<String, Object>) triggers.get(0);
    assertEquals("kafka", trigger.get("type"));
    Map<String, Object> md = map(trigger, "metadata");
    assertEquals(
        s.getString(Setting.KAFKA_TOPIC_NOISY), md.get("topic"), "KEDA watches the input topic");
    assertEquals(
        s.getString(Setting.KAFKA_GROUP_ID),
        md.get("consumerGroup"),
        "KEDA watches the service's group");
    assertEquals(s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS), md.get("bootstrapServers"));
    assertTrue(Long.parseLong(md.get("lagThreshold").toString()) > 0, "lagThreshold");
    assertEquals(
        "false", String.valueOf(md.get("allowIdleConsumers")), "no replicas beyond the partitions");
  }

  @Test
  void theGpuOverlayRequestsAGpuAndRunsTheGpuImageOnCuda() {
    RenderedOverlay gpu = render("k8s/overlays/gpu");
    Container c = gpu.container();
    Quantity limit = c.getResources().getLimits().get("nvidia.com/gpu");
    assertNotNull(limit, "limits nvidia.com/gpu");
    assertTrue(Integer.parseInt(limit.getAmount()) >= 1);
    assertTrue(gpu.settings().getString(Setting.INFERENCE_DEVICE).matches("cuda:\\d+"));
    RenderedOverlay cpu = render("k8s/overlays/cpu");
    assertNotEquals(
        cpu.container().getImage(),
        c.getImage(),
        "the GPU image (deploy/Dockerfile.gpu), not the CPU one");
    assertNull(cpu.container().getResources().getLimits().get("nvidia.com/gpu"));
    assertFalse(cpu.settings().getString(Setting.INFERENCE_DEVICE).startsWith("cuda"));
  }

  @Test
  void theImageIsTheOneComposeBuilds() {
    String base = Kustomize.load(Repo.file("k8s/base/deployment.yaml")).get(0).body().toString();
    assertTrue(
        base.contains("image=stream-denoiser,"),
        "the base names the image stream-denoiser; overlays set registry and tag");
    String compose = Repo.read(Repo.file("deploy/docker-compose.yml"));
    assertTrue(compose.contains("image: stream-denoiser:"), "compose builds the same image name");
    for (String o : OVERLAYS) {
      assertTrue(
          render(o).container().getImage().matches("([\\w.-]+/)*stream-denoiser:[\\w.-]+"), o);
    }
  }

  @Test
  void theConfigFilesHoldTheSameSettingsAsTheConfigMaps() throws Exception {
    for (String[] pair :
        new String[][] {
          {"k8s/overlays/cpu", "deploy/config/k8s-cpu.yaml"},
          {"k8s/overlays/cpu-hpa", "deploy/config/k8s-cpu.yaml"},
          {"k8s/overlays/gpu", "deploy/config/k8s-gpu.yaml"}
        }) {
      Settings fromFile = Configs.resolve(Repo.file(pair[1]), Map.of(), Map.of());
      assertEquals(
          Map.of(),
          Configs.differences(render(pair[0]).settings(), fromFile),
          pair[0] + " vs " + pair[1]);
    }
  }

  static void assertProbe(Probe p, String path, ContainerPort http) {
    assertNotNull(p, "probe on " + path);
    assertEquals(path, p.getHttpGet().getPath());
    IntOrString port = p.getHttpGet().getPort();
    assertTrue(
        http.getName().equals(port.getStrVal()) || http.getContainerPort().equals(port.getIntVal()),
        "probe on the http port: " + port);
  }

  static long preStopSleepSeconds(Container c) {
    var pre = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
    if (pre == null) {
      return 0;
    }
    if (pre.getSleep() != null) {
      return pre.getSleep().getSeconds();
    }
    List<String> cmd = pre.getExec() == null ? List.of() : pre.getExec().getCommand();
    return cmd.size() == 2 && cmd.get(0).equals("sleep") ? Long.parseLong(cmd.get(1)) : 0;
  }

  static void assertSelects(LabelSelector sel, Map<String, String> labels, String what) {
    assertNotNull(sel, what + " selector");
    assertFalse(sel.getMatchLabels().isEmpty(), what + " selects by labels");
    assertTrue(
        labels.entrySet().containsAll(sel.getMatchLabels().entrySet()),
        what + " selects the pods: " + sel.getMatchLabels());
  }

  static int httpPort(Container c) {
    return c.getPorts().stream()
        .filter(p -> "http".equals(p.getName()))
        .findFirst()
        .orElseThrow()
        .getContainerPort();
  }

  static int resolves(IntOrString port, Container c) {
    if (port == null) {
      return -1;
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(-1);
  }

  static void assertResolves(IntOrString port, Container c, String what) {
    assertTrue(resolves(port, c) > 0, what + " " + port + " is a port of the container");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertNotNull(v, key);
    return (Map<String, Object>) v;
  }
}
