package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceSelectorTest {
  @Test
  void autoFallsBackToTheCpuWithoutCuda() {
    assertEquals(Device.cpu(), new DeviceSelector(() -> false, () -> 0).select("auto"));
    assertEquals(
        Device.cpu(),
        new DeviceSelector(() -> true, () -> 0).select("auto"),
        "provider but no GPU");
    assertEquals(Device.gpu(0), new DeviceSelector(() -> true, () -> 1).select("auto"));
  }

  @Test
  void explicitCudaThatCannotBeHadIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new DeviceSelector(() -> false, () -> 0).select("cuda:0"));
    assertTrue(e.getMessage().contains("no CUDA execution provider"), e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> new DeviceSelector(() -> true, () -> 1).select("cuda:1"));
    assertTrue(e.getMessage().contains("GPU 1 does not exist"), e.getMessage());
    assertEquals(Device.gpu(1), new DeviceSelector(() -> true, () -> 2).select("cuda:1"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceSelector().select("tpu"));
  }

  @Test
  void thisMachineRealOnnxRuntimeBuild(@TempDir Path models) throws Exception {
    // The real check against the ONNX Runtime on the classpath: the CPU build has no CUDA provider.
    assertEquals(Device.cpu(), new DeviceSelector().select("auto"));
    TestModels.write(models, "m", 1, 1);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> ServiceHarness.start(models, new JsonObject().put("inference.device", "cuda:0")));
    assertTrue(
        e.getCause().getMessage().contains("inference.device=cuda:0 cannot be used"),
        e.getCause().getMessage());
    try (ServiceHarness ok =
        ServiceHarness.start(models, new JsonObject().put("inference.device", "auto"))) {
      assertTrue(ok.svc().ready());
    }
  }
}
