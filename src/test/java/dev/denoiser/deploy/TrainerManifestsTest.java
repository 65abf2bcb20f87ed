package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.HealthCommand;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * The trainer role's manifests (k8s/trainer) and compose service, against the jar: the {@code
 * trainer} command with probes on its health endpoints, one replica that never overlaps another,
 * the same broker, group and topics as the serving replicas, a protected admin API, and writable
 * places for MNIST, the reference buffer, the followed models and the candidates.
 */
class TrainerManifestsTest {
  static final String TRAINER = "k8s/trainer";

  @BeforeAll
  static void compose() {
    ComposeFileTest.load();
  }

  @Test
  void oneTrainerPodRunsTheTrainerCommandWithItsProbesAndState() {
    RenderedOverlay r = new RenderedOverlay(Repo.file(TRAINER));
    Deployment d = r.deployment();
    assertEquals(1, d.getSpec().getReplicas(), "one trainer per cluster");
    assertEquals(
        "Recreate",
        d.getSpec().getStrategy().getType(),
        "never two trainers at once, not even in a rollout");
    Container c = r.container();
    JavaCommand run =
        DockerfileTest.entrypoint(Dockerfile.read(Repo.file(DockerfileTest.TRAINER)))
            .withArgs(c.getArgs());
    assertEquals(List.of("trainer"), JavaCommand.commandPath(run.parse()));
    assertEquals(
        r.configMap().getMetadata().getName(), c.getEnvFrom().get(0).getConfigMapRef().getName());
    c.getEnv().forEach(e -> Configs.keyOf(e.getName()));
    assertTrue(
        c.getEnv().stream()
            .anyMatch(
                e ->
                    e.getName().equals(Setting.AUTH_TOKEN.envName())
                        && e.getValueFrom() != null
                        && e.getValueFrom().getSecretKeyRef() != null),
        "the admin token comes from a Secret");

    Settings s = r.settings();
    ContainerPort http =
        c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
    assertEquals(s.getInt(Setting.HTTP_PORT), http.getContainerPort());
    KubernetesManifestsTest.assertProbe(c.getReadinessProbe(), HealthCommand.READY, http);
    KubernetesManifestsTest.assertProbe(c.getLivenessProbe(), HealthCommand.LIVE, http);
    r.service()
        .getSpec()
        .getPorts()
        .forEach(
            p ->
                KubernetesManifestsTest.assertResolves(p.getTargetPort(), c, "Service targetPort"));
    KubernetesManifestsTest.assertSelects(d.getSpec().getSelector(), r.podLabels(), "Deployment");

    // everything the trainer writes is on the claim
    String claim = r.one(PersistentVolumeClaim.class).getMetadata().getName();
    String stateVolume =
        d.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(
                v ->
                    v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim().getClaimName().equals(claim))
            .findFirst()
            .orElseThrow()
            .getName();
    String mount =
        c.getVolumeMounts().stream()
            .filter(m -> m.getName().equals(stateVolume))
            .map(VolumeMount::getMountPath)
            .findFirst()
            .orElseThrow();
    for (Setting k :
        List.of(Setting.MODELS_DIR, Setting.TRAINER_MNIST_DIR, Setting.TRAINER_DATA_DIR)) {
      assertTrue(
          s.getString(k).startsWith(mount + "/"),
          k.key() + " is on the persistent volume " + mount);
    }
    // the init containers fill the volume the trainer reads
    assertEquals(2, d.getSpec().getTemplate().getSpec().getInitContainers().size());
    d.getSpec()
        .getTemplate()
        .getSpec()
        .getInitContainers()
        .forEach(
            ic ->
                assertTrue(
                    ic.getVolumeMounts().stream()
                        .anyMatch(
                            m -> m.getName().equals(stateVolume) && m.getMountPath().equals(mount)),
                    ic.getName() + " writes to the trainer's volume"));
  }

  @Test
  void theTrainerTalksToTheServingReplicasBrokerGroupAndTopics() {
    Settings trainer = new RenderedOverlay(Repo.file(TRAINER)).settings();
    for (String overlay : KubernetesManifestsTest.OVERLAYS) {
      Settings serving = KubernetesManifestsTest.render(overlay).settings();
      for (Setting k :
          List.of(
              Setting.KAFKA_BOOTSTRAP_SERVERS,
              Setting.KAFKA_GROUP_ID,
              Setting.KAFKA_TOPIC_MODELS,
              Setting.KAFKA_TOPIC_CONTROL,
              Setting.KAFKA_TOPIC_REFERENCE,
              Setting.MODELS_DEFAULT)) {
        assertEquals(
            serving.getString(k), trainer.getString(k), k.key() + " of the trainer and " + overlay);
      }
    }
  }

  @Test
  void theComposeTrainerFollowsTheBrokerWithAProtectedAdminApi() throws Exception {
    Map<String, Object> svc = ComposeFileTest.services.get("trainer");
    ParseResult pr = JavaCommand.parse(ComposeFileTest.command(svc));
    assertEquals(List.of("trainer"), JavaCommand.commandPath(pr));
    Path config =
        ComposeFileTest.mountedFile(
            svc, JavaCommand.leaf(pr).matchedOptionValue("--config", (Path) null));
    Settings s = Configs.resolve(config, ComposeFileTest.env(svc), JavaCommand.sets(pr));
    assertTrue(ComposeFileTest.listeners.contains(s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS)));
    assertFalse(s.getString(Setting.AUTH_TOKEN).isBlank(), "the admin API takes a token");
    for (String replica : ComposeFileTest.replicas()) {
      Map<String, Object> r = ComposeFileTest.services.get(replica);
      ParseResult rp = JavaCommand.parse(ComposeFileTest.command(r));
      Settings rs =
          Configs.resolve(
              ComposeFileTest.mountedFile(
                  r, JavaCommand.leaf(rp).matchedOptionValue("--config", (Path) null)),
              ComposeFileTest.env(r),
              JavaCommand.sets(rp));
      assertEquals(
          rs.getString(Setting.KAFKA_TOPIC_MODELS),
          s.getString(Setting.KAFKA_TOPIC_MODELS),
          replica + " follows the trainer's topic");
    }
    String volumes = String.valueOf(svc.get("volumes"));
    assertTrue(
        volumes.contains(":" + s.getString(Setting.MODELS_DIR)),
        "models.dir is a writable volume: " + volumes);
    assertTrue(
        volumes.contains(":" + s.getString(Setting.TRAINER_MNIST_DIR)),
        "MNIST is mounted: " + volumes);
  }
}
