package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.hotswap.ModelNames;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Training parameters, control messages and the schedule: what triggers accept and how they refuse.
 */
class TrainInputsParsingTest {
  final TrainParams defaults = TrainParams.defaults(Settings.defaultsOnly());

  @Test
  void paramsOverlayTheConfiguredDefaults() {
    assertEquals(1, defaults.epochs());
    assertEquals(10_000, defaults.limit());
    assertNull(defaults.noise());
    TrainParams p =
        TrainParams.fromJson(
            new JsonObject()
                .put("epochs", 3)
                .put("limit", 500)
                .put("learningRate", 1e-3)
                .put("batchSize", 64)
                .put("noise", "gaussian:0.1..0.4")
                .put("fromScratch", true)
                .put("seed", 9),
            defaults);
    assertEquals(new TrainParams(3, 500, 1e-3, 64, "gaussian:0.1..0.4", true, 9), p);
    assertEquals(defaults, TrainParams.fromJson(null, defaults));
  }

  @Test
  void badParamsAreBadRequests() {
    bad(new JsonObject().put("epochs", -1), "epochs");
    bad(new JsonObject().put("epochs", "many"), "wrong type");
    bad(new JsonObject().put("learningRate", 0), "learningRate");
    bad(new JsonObject().put("batchSize", 0), "batchSize");
    bad(new JsonObject().put("noise", "loud"), "noise");
    bad(new JsonObject().put("lr", 0.1), "unknown training parameter 'lr'");
  }

  private void bad(JsonObject j, String reason) {
    DenoiserException e =
        assertThrows(DenoiserException.class, () -> TrainParams.fromJson(j, defaults));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void controlMessagesNeedAModelAndAnObjectOfParams() {
    ControlMessage m =
        ControlMessage.parse(
            "{\"model\":\"m\",\"params\":{\"epochs\":2}}".getBytes(StandardCharsets.UTF_8));
    assertEquals("m", m.model());
    assertEquals(2, m.params().getInteger("epochs"));
    assertNull(ControlMessage.parse("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8)).params());
    for (String garbage :
        new String[] {
          "",
          "not json",
          "[1,2]",
          "{\"params\":{}}",
          "{\"model\":3}",
          "{\"model\":\"m\",\"params\":[1]}",
          "{\"model\":\"m\",\"extra\":1}"
        }) {
      DenoiserException e =
          assertThrows(
              DenoiserException.class,
              () -> ControlMessage.parse(garbage.getBytes(StandardCharsets.UTF_8)),
              garbage);
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }
  }

  @Test
  void modelNamesCannotLeaveTheModelsDirectory() {
    assertTrue(ModelNames.valid("conv-upsample"));
    for (String n : new String[] {"..", "../x", "a/b", "", ".hidden", "a b"}) {
      DenoiserException e =
          assertThrows(
              DenoiserException.class, () -> ModelNames.check(n, ErrorCode.BAD_REQUEST), n);
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }
  }

  @Test
  void scheduleIsOffOrAnInterval() {
    assertNull(Schedule.parse(""));
    assertEquals(Duration.ofHours(6), Schedule.parse("6h"));
    assertEquals(Duration.ofSeconds(90), Schedule.parse("90s"));
    assertEquals(Duration.ofMinutes(90), Schedule.parse("PT1H30M"));
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse("hourly"));
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse("10ms"));
  }
}
