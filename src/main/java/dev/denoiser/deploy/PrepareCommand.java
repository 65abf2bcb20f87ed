package dev.denoiser.deploy;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code prepare}: loads the inference engine once, so that DJL unpacks the native libraries it
 * brings (ONNX Runtime's engine and the PyTorch library DJL loads beside it, about 430 MB) into its
 * cache ({@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}), then exits. Container image builds run it
 * so that replicas start without writing them, with a read-only root file system.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
    description = "Unpack the inference engine's native libraries into the DJL cache (for image builds), then exit.")
public final class PrepareCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Engine engine = Engine.getEngine("OnnxRuntime");
    System.out.println("engine " + engine.getEngineName() + " " + engine.getVersion() + " ready; DJL cache: "
        + Utils.getEngineCacheDir());
    return 0;
  }
}
