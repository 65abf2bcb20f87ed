package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.HealthCommand;
import dev.denoiser.cli.Main;
import dev.denoiser.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three Dockerfiles, read without a Docker engine: multi-stage (Maven on JDK 17, then a JRE 17
 * runtime), non-root, the jar's real commands in ENTRYPOINT/CMD and RUN, JVM flags the JVM accepts,
 * a curl health check on the readiness path (curl installed), OCI labels, a clear stop on other
 * platforms than linux/amd64, environment variables that are config keys, the exposed port, and
 * files the build context really sends. The serving images ship the serving jar and run only its
 * commands; the trainer image ships the full jar.
 */
class DockerfileTest {
  static final String CPU = "deploy/Dockerfile";
  static final String GPU = "deploy/Dockerfile.gpu";
  static final String TRAINER = "deploy/Dockerfile.trainer";
  static final Map<String, String> JARS =
      Map.of(
          CPU,
          "stream-denoiser-serve.jar",
          GPU,
          "stream-denoiser-serve.jar",
          TRAINER,
          "stream-denoiser.jar");

  static Dockerfile read(String path) {
    return Dockerfile.read(Repo.file(path));
  }

  /** The entrypoint's JVM and jar, with CMD as the application's arguments. */
  static JavaCommand entrypoint(Dockerfile d) {
    Dockerfile.Stage s = d.finalStage();
    JavaCommand ep = JavaCommand.of(Dockerfile.execForm(s.last("ENTRYPOINT").rest()));
    assertTrue(
        ep.args().isEmpty(),
        "the entrypoint stops at the jar; CMD or a container's args name the command");
    return ep.withArgs(Dockerfile.execForm(s.last("CMD").rest()));
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void buildsTheJarWithMavenOnJdk17AndRunsItOnAJre17AsANonRootUser(String path) {
    Dockerfile d = read(path);
    assertTrue(d.stages.size() >= 2, "multi-stage");
    Dockerfile.Stage build = d.stage("build");
    assertTrue(
        build.image().matches("maven:3\\.9[\\w.-]*-eclipse-temurin-17.*"),
        "build on Maven + JDK 17: " + build.image());
    String mvn =
        build.all("RUN").stream()
            .map(Dockerfile.Instruction::rest)
            .filter(r -> r.contains("mvn "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no mvn in the build stage"));
    assertTrue(
        mvn.contains(" package") && mvn.contains("-Dexec.skip=true"),
        "packages the jar without the MNIST fetch: " + mvn);
    Dockerfile.Stage run = d.finalStage();
    String user = run.last("USER").rest();
    assertTrue(
        user.matches("[1-9][0-9]*(:[1-9][0-9]*)?"),
        "numeric non-root USER (runAsNonRoot can check it): " + user);
    boolean jre =
        run.image().startsWith("eclipse-temurin:17-jre")
            || run.all("COPY").stream()
                    .anyMatch(
                        c ->
                            c.rest().startsWith("--from=jre ")
                                && c.rest().contains("/opt/java/openjdk"))
                && d.stage("jre").image().startsWith("eclipse-temurin:17-jre");
    assertTrue(jre, "a JRE 17 runtime: " + run.image());
    String jar = entrypoint(d).jar();
    assertTrue(
        run.all("COPY").stream()
            .anyMatch(c -> c.rest().startsWith("--from=build ") && c.rest().endsWith(" " + jar)),
        "the entrypoint's jar " + jar + " is copied from the build stage");
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void entrypointAndCmdAreRealCommandsOfTheShippedJarWithFlagsTheJvmAccepts(String path)
      throws Exception {
    Dockerfile d = read(path);
    JavaCommand main = entrypoint(d);
    List<String> command = JavaCommand.commandPath(main.parse());
    assertEquals(List.of(path.equals(TRAINER) ? "trainer" : "serve"), command);
    assertTrue(
        main.jvmFlags().stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")),
        "heap sized from the container limit");
    assertTrue(
        main.jvmFlags().contains("-XX:+ExitOnOutOfMemoryError"),
        "an OOM ends the container (and the orchestrator restarts it)");
    main.assertJvmAcceptsFlags();
    String jar = JARS.get(path);
    assertEquals("/app/" + jar, main.jar(), "the image runs " + jar);
    String built =
        d.stage("build").all("RUN").stream()
            .map(Dockerfile.Instruction::rest)
            .filter(r -> r.contains("mvn "))
            .findFirst()
            .orElseThrow();
    assertTrue(
        built.contains("cp target/" + jar + " "), "the build stage takes " + jar + ": " + built);
    if (!path.equals(TRAINER)) {
      assertFalse(
          Main.fullJarCommands().contains(command.get(0)), command + " runs from the serving jar");
    }

    List<String> prepare =
        d.finalStage().all("RUN").stream()
            .map(Dockerfile.Instruction::rest)
            .filter(r -> r.contains(main.jar()) && r.startsWith("java "))
            .toList();
    assertEquals(
        1, prepare.size(), "the image build runs the jar once, to unpack native libraries");
    List<String> words = List.of(prepare.get(0).split("&&")[0].trim().split("\\s+"));
    assertEquals(List.of("prepare"), JavaCommand.commandPath(JavaCommand.of(words).parse()));
    assertTrue(
        d.finalStage().env().containsKey("DJL_CACHE_DIR"),
        "unpacked to a fixed place, not the user's home");
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void healthCheckIsCurlOnTheReadinessPathAndPortWithCurlInstalled(String path) {
    Dockerfile.Stage run = read(path).finalStage();
    String hc = run.last("HEALTHCHECK").rest();
    String cmd = hc.substring(hc.indexOf("CMD ") + 4).strip();
    assertTrue(cmd.startsWith("curl -f"), "curl, failing on HTTP errors: " + cmd);
    String port =
        "${" + Setting.HTTP_PORT.envName() + ":-" + Setting.HTTP_PORT.defaultValue() + "}";
    assertTrue(
        cmd.contains("http://127.0.0.1:" + port + HealthCommand.READY),
        "asks readiness on http.port: " + cmd);
    assertTrue(
        run.all("RUN").stream()
            .anyMatch(r -> r.rest().matches(".*apt-get install [^&]*\\bcurl\\b.*")),
        "curl is installed in the runtime image");
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void ociLabelsAndAClearStopOnOtherPlatforms(String path) {
    Dockerfile d = read(path);
    String labels =
        d.finalStage().all("LABEL").stream()
            .map(Dockerfile.Instruction::rest)
            .reduce("", (a, b) -> a + " " + b);
    for (String key : List.of("title", "description", "version", "licenses")) {
      assertTrue(
          labels.contains("org.opencontainers.image." + key + "="),
          "OCI label " + key + ": " + labels);
    }
    assertTrue(labels.contains("org.opencontainers.image.licenses=\"Apache-2.0\""));
    Dockerfile.Stage build = d.stage("build");
    assertTrue(
        build.all("ARG").stream().anyMatch(a -> a.rest().equals("TARGETARCH")),
        "BuildKit's target architecture");
    String check = build.all("RUN").get(0).rest();
    assertTrue(
        check.contains("TARGETARCH")
            && check.contains("!= \"amd64\"")
            && check.contains("exit 1")
            && check.contains("linux-x86_64")
            && check.contains("--platform linux/amd64"),
        "the first step stops other platforms with a message: " + check);
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void everyDenoiserVariableIsAConfigKeyAndThePortIsHttpPort(String path) {
    Dockerfile.Stage run = read(path).finalStage();
    Set<String> known = envNames();
    run.env().keySet().stream()
        .filter(k -> k.startsWith("DENOISER_"))
        .forEach(k -> assertTrue(known.contains(k), k + " is not the variable of a config key"));
    assertEquals(
        Setting.HTTP_PORT.defaultValue().toString(), run.last("EXPOSE").rest().replace("/tcp", ""));
    String models = run.env().get(Setting.MODELS_DIR.envName());
    assertNotNull(models, "models.dir set to where the models are copied");
    assertTrue(
        run.all("COPY").stream().anyMatch(c -> c.rest().endsWith(" " + models)),
        "models copied to " + models);
  }

  @ParameterizedTest
  @ValueSource(strings = {CPU, GPU, TRAINER})
  void copiesOnlyWhatTheContextSends(String path) {
    Dockerfile d = read(path);
    Path ignore = Repo.file(path + ".dockerignore");
    assertTrue(
        Files.isRegularFile(ignore),
        "BuildKit reads " + ignore.getFileName() + " beside the Dockerfile");
    List<String> lines =
        Repo.read(ignore)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertEquals("*", lines.get(0), "an allow-list");
    Set<String> allowed =
        lines.stream()
            .filter(l -> l.startsWith("!"))
            .map(l -> l.substring(1))
            .collect(Collectors.toSet());
    for (Dockerfile.Stage s : d.stages) {
      for (Dockerfile.Instruction c : s.all("COPY")) {
        if (c.rest().startsWith("--from=")) {
          continue;
        }
        String[] parts = c.rest().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          String src = parts[i];
          if (src.startsWith("--") || src.equals(".")) {
            continue;
          }
          assertTrue(
              allowed.contains(src), src + " is not in the context: " + ignore.getFileName());
          assertTrue(Files.exists(Repo.file(src)), src + " does not exist");
        }
      }
    }
    assertTrue(allowed.contains("models"), "models/ is sent when it exists");
  }

  @Test
  void theGpuImageRunsTheGpuBuildOnCuda12WithCudnn9OnCudaZero() {
    Dockerfile d = read(GPU);
    String mvn = d.stage("build").last("RUN").rest();
    assertTrue(mvn.contains("-Pgpu"), "the gpu profile swaps in onnxruntime_gpu: " + mvn);
    assertTrue(
        Repo.read(Repo.file("pom.xml"))
            .contains("<onnxruntime.artifact>onnxruntime_gpu</onnxruntime.artifact>"));
    // onnxruntime_gpu 1.19 to 1.23 (Maven) are built for CUDA 12.x and cuDNN 9.x
    String ort = Repo.pomProperty("onnxruntime.version");
    Matcher v = Pattern.compile("1\\.(\\d+)\\..*").matcher(ort);
    assertTrue(
        v.matches() && Integer.parseInt(v.group(1)) >= 19 && Integer.parseInt(v.group(1)) <= 23,
        "onnxruntime "
            + ort
            + ": check which CUDA and cuDNN it needs, then update the base image and this test");
    String base = d.finalStage().image();
    assertTrue(
        base.matches("nvidia/cuda:12\\.\\d+\\.\\d+-cudnn-runtime-ubuntu22\\.04"),
        "CUDA 12 runtime with cuDNN 9: " + base);
    String device = d.finalStage().env().get(Setting.INFERENCE_DEVICE.envName());
    assertEquals("cuda:0", device);
    Map<String, String> cpuEnv = read(CPU).finalStage().env();
    assertNotEquals(device, cpuEnv.getOrDefault(Setting.INFERENCE_DEVICE.envName(), "auto"));
  }

  static Set<String> envNames() {
    return java.util.Arrays.stream(Setting.values())
        .map(Setting::envName)
        .collect(Collectors.toSet());
  }
}
