package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.denoiser.cli.Main;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.TestModels;
import dev.denoiser.trust.ModelSignature;
import dev.denoiser.trust.ModelTrust;
import dev.denoiser.trust.SigningKeys;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model integrity on real models and real ONNX Runtime sessions: Ed25519 signatures (first-start
 * signing, trusted keys from keygen, tampered cards, untrusted keys), no symbolic links, the
 * directory's name is the model's name, versions by a bounded step, and an install time-out.
 */
class ModelIntegrityTest {
  @TempDir Path tmp;
  final ServiceMetrics metrics = ServiceMetrics.inMemory();

  Settings settings(Path models, Object... kv) {
    JsonObject j =
        new JsonObject()
            .put(Setting.MODELS_DIR.key(), models.toString())
            .put(Setting.KAFKA_ENABLED.key(), false)
            .put(Setting.MODELS_KEY_DIR.key(), tmp.resolve("keys").toString());
    for (int i = 0; i + 1 < kv.length; i += 2) {
      j.put((String) kv[i], kv[i + 1]);
    }
    return Settings.of(j);
  }

  ModelRegistry registry(ModelTrust trust) {
    return new ModelRegistry(new ModelLoader(Device.cpu(), 1, trust), metrics, "m");
  }

  double failures(String reason) {
    return metrics
        .registry()
        .find("denoiser_model_load_failures")
        .tag("reason", reason)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void theFirstStartSignsWhatIsThereAndLaterStartsRefuseUnsignedModels() throws Exception {
    Path models = tmp.resolve("models");
    TestModels.write(models, "m", 1, 1);
    ModelTrust first = ModelTrust.open(settings(models));
    assertTrue(first.firstStart());
    assertTrue(
        Files.exists(models.resolve("m").resolve(ModelSignature.FILE)),
        "the model found is signed");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(tmp.resolve("keys").resolve(SigningKeys.PRIVATE_FILE))));
    try (ModelRegistry r = registry(first)) {
      assertEquals(1, r.loadAll(models));
    }
    TestModels.write(models, "n", 1, 2); // arrives after the first start, unsigned
    ModelTrust second = ModelTrust.open(settings(models));
    assertFalse(second.firstStart());
    assertEquals(first.signer().keyId(), second.signer().keyId(), "the stored key is used again");
    try (ModelRegistry r = registry(second)) {
      assertEquals(1, r.loadAll(models));
      assertTrue(r.has("m"));
      assertFalse(r.has("n"), "an unsigned model after the first start is refused");
      assertEquals(1.0, failures("unsigned"));
    }
  }

  @Test
  void keygenSignAndTrustedKeysDecideWhatLoads() throws Exception {
    Path models = tmp.resolve("models");
    Path op = tmp.resolve("operator");
    assertEquals(0, Main.run(new String[] {"keygen", "--out", op.toString()}));
    assertEquals(
        2, Main.run(new String[] {"keygen", "--out", op.toString()}), "never overwrites a key");
    Path m = TestModels.write(models, "m", 1, 1);
    assertEquals(0, Main.run(new String[] {"sign", "--key", op.toString(), m.toString()}));
    Settings noFirstStartTrust = settings(models, Setting.MODELS_TRUST_FIRST_START.key(), false);
    try (ModelRegistry r = registry(ModelTrust.open(noFirstStartTrust))) {
      assertThrows(DenoiserException.class, () -> r.install(m));
      assertEquals(1.0, failures("untrusted_key"), "signed, by a key nobody listed");
    }
    Settings trusting =
        settings(
            models,
            Setting.MODELS_TRUST_FIRST_START.key(),
            false,
            Setting.MODELS_TRUSTED_KEYS.key(),
            op.resolve(SigningKeys.PUBLIC_FILE).toString());
    try (ModelRegistry r = registry(ModelTrust.open(trusting))) {
      assertEquals(1, r.install(m).version());
      // the card changed after signing (a version bump by hand): the signature no longer holds
      ModelCard.read(m.resolve(ModelCard.FILE)).withVersion(2).write(m.resolve(ModelCard.FILE));
      assertThrows(DenoiserException.class, () -> r.install(m));
      assertEquals(1.0, failures("bad_signature"));
      assertEquals(1, r.card("m").version(), "the signed version keeps serving");
    }
  }

  @Test
  void linksAndForeignNamesAreNotFollowed() throws Exception {
    Path models = tmp.resolve("models");
    Path outside = tmp.resolve("outside");
    TestModels.write(outside, "m", 5, 3);
    Files.createDirectories(models);
    Files.createSymbolicLink(models.resolve("m"), outside.resolve("m"));
    TestModels.write(models, "evil", 7, 4);
    Path card = models.resolve("evil").resolve(ModelCard.FILE);
    ModelCard.read(card)
        .withName("natural")
        .write(card); // a directory that claims another model's name
    Path linked = TestModels.write(models, "k", 1, 5);
    Files.move(linked.resolve(ModelCard.MODEL_FILE), outside.resolve("k.onnx"));
    Files.createSymbolicLink(linked.resolve(ModelCard.MODEL_FILE), outside.resolve("k.onnx"));
    try (ModelRegistry r =
        registry(
            ModelTrust.open(settings(models, Setting.MODELS_SIGNATURE_REQUIRED.key(), false)))) {
      assertEquals(0, r.loadAll(models));
      assertTrue(r.cards().isEmpty());
      assertEquals(3.0, failures("path"), "linked directory, linked model file, foreign name");
      ModelDirectoryWatcher w = new ModelDirectoryWatcher(r, models, 1000);
      assertEquals(0, w.installNewer());
      assertFalse(r.has("m") || r.has("natural") || r.has("k"));
    }
  }

  @Test
  void versionsMoveForwardByABoundedStep() throws Exception {
    Path models = tmp.resolve("models");
    try (ModelRegistry r = registry(null).limits(1000, 60_000)) {
      assertThrows(
          DenoiserException.class,
          () -> r.install(TestModels.write(models, "m", 5000, 1)),
          "a first version beyond the step");
      r.install(TestModels.write(models, "m", 1, 1));
      assertThrows(
          DenoiserException.class,
          () -> r.install(TestModels.write(models, "m", Long.MAX_VALUE, 2)),
          "2^63-1 would pin the model");
      assertThrows(
          DenoiserException.class, () -> r.install(TestModels.write(models, "m", 1002, 2)));
      assertEquals(3.0, failures("version_step"));
      assertEquals(1001, r.install(TestModels.write(models, "m", 1001, 3)).version());
    }
  }

  @Test
  void anInstallThatTakesTooLongIsRefusedAndHoldsUpNoOther() throws Exception {
    Path models = tmp.resolve("models");
    try (ModelRegistry r = registry(null)) {
      r.limits(1_000_000, 1);
      assertThrows(
          DenoiserException.class,
          () -> r.install(TestModels.write(models, "slow", 1, 1, 0, 0, 64)));
      assertEquals(1.0, failures("timeout"));
      r.limits(1_000_000, 60_000);
      assertEquals(
          1,
          r.install(TestModels.write(models, "m", 1, 2)).version(),
          "the next install is not held up");
      assertFalse(r.has("slow"));
    }
  }
}
