package dev.denoiser.cli;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import dev.denoiser.config.JarContents;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code prepare}: loads both engines once, so that DJL unpacks their native libraries (ONNX
 * Runtime's for serving, PyTorch's, about 430 MB, for the trainer) into its cache ({@code
 * DJL_CACHE_DIR}, else {@code ~/.djl.ai}), then exits. Container image builds run it so that
 * replicas and trainers start without writing them, with a read-only root file system. The serving
 * jar has no PyTorch: there it prepares ONNX Runtime only.
 */
@Command(
    name = "prepare",
    mixinStandardHelpOptions = true,
    description =
        "Unpack the ONNX Runtime and PyTorch native libraries into the DJL cache (for image builds), then exit.")
public final class PrepareCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    dev.denoiser.model.OrtEnv.get();
    Engine ort = Engine.getEngine("OnnxRuntime");
    String engines = ort.getEngineName() + " " + ort.getVersion();
    if (JarContents.hasPyTorch()) {
      Engine torch = dev.denoiser.model.Torch.engine();
      engines += " and " + torch.getEngineName() + " " + torch.getVersion();
    }
    System.out.println("engines " + engines + " ready; DJL cache: " + Utils.getEngineCacheDir());
    return 0;
  }
}
