package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class TrainDeviceTest {
  @Test
  void autoFallsBackToTheCpuWithoutAGpuAndTakesTheFirstGpuOtherwise() {
    assertEquals(Device.cpu(), TrainDevice.select("auto", () -> 0));
    assertEquals(Device.gpu(0), TrainDevice.select("auto", () -> 2));
    assertEquals(Device.cpu(), TrainDevice.select("cpu", () -> 2));
    assertEquals(Device.cpu(), TrainDevice.select("", () -> 2));
  }

  @Test
  void anExplicitGpuMustBeVisible() {
    assertEquals(Device.gpu(1), TrainDevice.select("cuda:1", () -> 2));
    ModelException e =
        assertThrows(ModelException.class, () -> TrainDevice.select("cuda:0", () -> 0));
    assertTrue(
        e.getMessage().contains("-Pgpu") && e.getMessage().contains("trainer.device=cpu"),
        e.getMessage());
    assertThrows(ModelException.class, () -> TrainDevice.select("cuda:2", () -> 2));
    assertThrows(ModelException.class, () -> TrainDevice.select("cuda:x", () -> 2));
    assertThrows(ModelException.class, () -> TrainDevice.select("tpu", () -> 2));
  }

  @Test
  void thisBuildSeesNoGpuSoAutoTrainsOnTheCpu() {
    assertTrue(Torch.bundled(), "the default build bundles PyTorch's CPU library");
    assertEquals(Device.cpu(), Torch.useDevice("auto"));
    assertEquals(Device.cpu(), Torch.newManager().getDevice());
  }
}
