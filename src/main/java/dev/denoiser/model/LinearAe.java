package dev.denoiser.model;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code linear}: fixed 28x28. Flatten, dense 784 to {@code c1} (ReLU), dense to the latent ({@code
 * latentDim}, no activation), dense back to {@code c1} (ReLU), dense to 784, sigmoid. The latent is
 * the code layer.
 */
public final class LinearAe implements Architecture {
  static final int SIZE = 28;

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public String description() {
    return "Fully connected: 784 -> hidden (ReLU) -> latent -> hidden (ReLU) -> 784 -> sigmoid. "
        + "Fixed 28x28. Latent: the code layer. A purely linear autoencoder of this latent size "
        + "can do no better than PCA with as many components; the hidden ReLU layers are what "
        + "lets this one go somewhat beyond it.";
  }

  @Override
  public List<ParamSpec> params(NetSpec s) {
    int px = SIZE * SIZE;
    List<ParamSpec> p = new ArrayList<>();
    p.addAll(List.of(ParamSpec.dense("enc1", px, s.c1(), true)));
    p.addAll(List.of(ParamSpec.dense("enc2", s.c1(), s.latentDim(), false)));
    p.addAll(List.of(ParamSpec.dense("dec1", s.latentDim(), s.c1(), true)));
    p.addAll(List.of(ParamSpec.dense("dec2", s.c1(), px, false)));
    return p;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    T z = o.dense(o.relu(o.dense(o.flatten(x), "enc1")), "enc2");
    T out = o.dense(o.relu(o.dense(z, "dec1")), "dec2");
    return new Result<>(o.reshape(out, 1, SIZE, SIZE), z);
  }

  @Override
  public int latentDim(NetSpec s) {
    return s.latentDim();
  }
}
