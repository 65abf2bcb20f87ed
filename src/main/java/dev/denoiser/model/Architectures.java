package dev.denoiser.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The model zoo by name: linear, conv-transpose, conv-upsample, conv-unpool, vae. */
public final class Architectures {
  private static final Map<String, Architecture> ALL = new LinkedHashMap<>();

  static {
    for (Architecture a :
        new Architecture[] {
          new LinearAe(),
          new ConvTransposeAe(),
          new ConvUpsampleAe(),
          new ConvUnpoolAe(),
          new Vae(),
          ResidualUNet.full(),
          ResidualUNet.half(),
          ResidualUNet.lite()
        }) {
      ALL.put(a.name(), a);
    }
  }

  private Architectures() {}

  public static Architecture get(String name) {
    Architecture a = ALL.get(name);
    if (a == null) {
      throw new ModelException(
          "unknown architecture '" + name + "'; known: " + String.join(", ", ALL.keySet()));
    }
    return a;
  }

  public static Iterable<String> names() {
    return ALL.keySet();
  }
}
