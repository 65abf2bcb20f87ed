package dev.denoiser.model;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code vae}: fixed 28x28 variational autoencoder. Encoder: two 3x3 stride-2 convolutions, then
 * two dense heads for the posterior mean {@code mu} and log-variance over {@code latentDim}
 * dimensions. Training samples z = mu + exp(logvar/2) * eps and adds the KL term to the loss;
 * inference and the exported graph decode {@code mu}, which is also the published latent. Decoder:
 * dense to c2 x 7 x 7, then upsampling + conv twice.
 */
public final class Vae implements Architecture {
  static final int SIZE = 28;
  static final int LOW = SIZE / 4;

  @Override
  public String name() {
    return "vae";
  }

  @Override
  public String description() {
    return "Variational autoencoder: conv encoder to (mu, logvar), reparameterised sample while "
        + "training (loss = reconstruction + KL), decoder of upsampling + conv. Fixed 28x28. "
        + "Latent: mu, the posterior mean (also what the exported graph decodes).";
  }

  @Override
  public List<ParamSpec> params(NetSpec s) {
    int flat = s.c2() * LOW * LOW;
    List<ParamSpec> p = new ArrayList<>();
    p.addAll(List.of(ParamSpec.conv("enc1", 1, s.c1(), true)));
    p.addAll(List.of(ParamSpec.conv("enc2", s.c1(), s.c2(), true)));
    p.addAll(List.of(ParamSpec.dense("mu", flat, s.latentDim(), false)));
    p.addAll(List.of(ParamSpec.dense("logvar", flat, s.latentDim(), false)));
    p.addAll(List.of(ParamSpec.dense("dec0", s.latentDim(), flat, true)));
    p.addAll(List.of(ParamSpec.conv("dec1", s.c2(), s.c1(), true)));
    p.addAll(List.of(ParamSpec.conv("dec2", s.c1(), 1, false)));
    return p;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    T h = o.flatten(o.relu(o.conv(o.relu(o.conv(x, "enc1", 2)), "enc2", 2)));
    T mu = o.dense(h, "mu");
    T logvar = o.dense(h, "logvar");
    T z = o.sample(mu, logvar);
    T g = o.reshape(o.relu(o.dense(z, "dec0")), s.c2(), LOW, LOW);
    T d = o.relu(o.conv(o.upsample(g), "dec1", 1));
    T logits = o.conv(o.upsample(d), "dec2", 1);
    return new Result<>(logits, mu, mu, logvar);
  }

  @Override
  public int latentDim(NetSpec s) {
    return s.latentDim();
  }

  @Override
  public boolean variational() {
    return true;
  }
}
