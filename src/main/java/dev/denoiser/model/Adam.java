package dev.denoiser.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) over a model's parameters, with its state (moments and step count) in the
 * open so that checkpoints can save and restore it exactly.
 */
final class Adam {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final Map<String, NDArray> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final float lr;
  private long step;

  Adam(Map<String, NDArray> params, NDManager manager, double lr) {
    this.params = params;
    this.lr = (float) lr;
    params.forEach(
        (k, p) -> {
          m.put(k, manager.zeros(p.getShape()));
          v.put(k, manager.zeros(p.getShape()));
        });
  }

  /** One update from the gradients the last backward pass left, which it then zeroes. */
  void step() {
    step(lr);
  }

  /** {@link #step()} with the given learning rate (for a schedule). */
  void step(double rate) {
    float lr = (float) rate;
    step++;
    float c1 = 1 - (float) Math.pow(BETA1, step);
    float c2 = 1 - (float) Math.pow(BETA2, step);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray mk = m.get(e.getKey());
      NDArray vk = v.get(e.getKey());
      try (NDArray g = p.getGradient();
          NDArray g1 = g.mul(1 - BETA1);
          NDArray g2 = g.square()) {
        mk.muli(BETA1).addi(g1);
        vk.muli(BETA2).addi(g2.muli(1 - BETA2));
        try (NDArray den = vk.sqrt();
            NDArray upd = mk.mul(lr / c1)) {
          den.muli((float) (1 / Math.sqrt(c2))).addi(EPS);
          p.subi(upd.divi(den));
        }
        g.muli(0);
      }
    }
  }

  long steps() {
    return step;
  }

  Map<String, NDArray> firstMoments() {
    return m;
  }

  Map<String, NDArray> secondMoments() {
    return v;
  }

  void restore(long steps, Weights moments1, Weights moments2) {
    this.step = steps;
    m.forEach((k, a) -> a.set(moments1.get(k).data()));
    v.forEach((k, a) -> a.set(moments2.get(k).data()));
  }
}
