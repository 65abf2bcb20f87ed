package dev.denoiser.model;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;

/**
 * The process-wide ONNX Runtime environment, always created by DJL's OnnxRuntime engine. DJL
 * creates it with threading options, which ONNX Runtime refuses once another environment exists; so
 * every direct use of the ONNX Runtime API (signature checks, evaluation, benchmarks) goes through
 * here and lets DJL come first.
 *
 * <p>DJL's OnnxRuntime engine would also start the PyTorch engine as its helper for NDArray
 * operations ONNX Runtime lacks. Serving needs none (the translator packs and unpacks buffers
 * itself), so the helper is switched off unless the property is already set: a serving replica then
 * never loads the PyTorch native library. Training starts PyTorch on its own when it runs.
 */
public final class OrtEnv {
  private OrtEnv() {}

  public static OrtEnvironment get() {
    if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
      System.setProperty("ai.djl.onnx.disable_alternative", "true");
    }
    Engine.getEngine("OnnxRuntime");
    return OrtEnvironment.getEnvironment();
  }
}
