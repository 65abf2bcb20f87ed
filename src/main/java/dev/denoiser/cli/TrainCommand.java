package dev.denoiser.cli;

import dev.denoiser.data.DataException;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.NaturalImages;
import dev.denoiser.data.Noise;
import dev.denoiser.model.Checkpoint;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.ModelZoo;
import dev.denoiser.model.NetSpec;
import dev.denoiser.model.OnnxExporter;
import dev.denoiser.model.OnnxImporter;
import dev.denoiser.model.ProgressBarListener;
import dev.denoiser.model.Publisher;
import dev.denoiser.model.TrainConfig;
import dev.denoiser.model.Trainer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code train NAME}: trains a denoising autoencoder on MNIST with DJL (PyTorch engine), then
 * publishes {@code OUT/NAME/} (model.onnx, card.json, samples.png, loss.png). NAME is one of the
 * shipped recipes (see {@link ModelZoo}) or any name with {@code --arch}. A checkpoint is kept in
 * {@code OUT/NAME/checkpoints/} after every epoch; running the same command again resumes it. A
 * recipe that fine-tunes another shipped model starts from {@code OUT/THAT/model.onnx}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a denoising autoencoder on MNIST and export it to ONNX.")
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      defaultValue = ModelZoo.DEFAULT_MODEL,
      description =
          "Model name (a shipped recipe: ${COMPLETION-CANDIDATES}, or any name with --arch).",
      completionCandidates = Names.class)
  String name;

  @Option(
      names = "--arch",
      description = "Architecture: linear, conv-transpose, conv-upsample, conv-unpool, vae.")
  String arch;

  @Option(names = "--c1", description = "Channels (or hidden units) of the first level.")
  Integer c1;

  @Option(names = "--c2", description = "Channels of the second level.")
  Integer c2;

  @Option(names = "--latent", description = "Latent size (linear, vae).")
  Integer latent;

  @Option(
      names = "--skip",
      description =
          "Input-to-output skip of conv models: 0 none, 1 one conv, k two convs via k channels.")
  Integer skip;

  @Option(names = "--mid", description = "conv-upsample: extra 3x3 convolutions at the bottleneck.")
  Integer mid;

  @Option(
      names = "--unet",
      negatable = true,
      description = "conv-upsample: add the first encoder level to the first decoder level.")
  Boolean unet;

  @Option(names = "--epochs")
  Integer epochs;

  @Option(names = "--batch-size")
  Integer batch;

  @Option(names = "--lr", description = "Adam learning rate.")
  Double lr;

  @Option(
      names = "--lr-final",
      description =
          "Learning rate at the last step, reached by cosine decay (default: the recipe's, scaled by --lr / the recipe's rate; equal to --lr means constant).")
  Double lrFinal;

  @Option(
      names = "--noise",
      description = "gaussian:SIGMA, gaussian:LO..HI, sp:AMOUNT, mix:SIGMA:AMOUNT.")
  String noise;

  @Option(names = "--seed")
  Long seed;

  @Option(names = "--threads", description = "PyTorch intra-op threads.")
  Integer threads;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto, cpu or cuda:N (needs a -Pgpu build on a CUDA machine; auto falls back to the CPU).")
  String device;

  @Option(names = "--limit", description = "Use only the first N training images (0 = all).")
  Integer limit;

  @Option(
      names = "--loss",
      description =
          "bce (binary cross-entropy, the default for autoencoders), mse (the default for "
              + "residual networks) or psnr (minus the mean per-image PSNR; for fine-tuning with "
              + "--init-from).")
  String loss;

  @Option(names = "--kl-weight", description = "Weight of the VAE's KL term.")
  Double kl;

  @Option(
      names = "--model-version",
      description = "Model version written to the card.",
      defaultValue = "1")
  long version;

  @Option(
      names = "--data-dir",
      description = "MNIST directory (default: -Dmnist.dir, $MNIST_DIR, .cache/mnist).")
  Path dataDir;

  @Option(names = "--out", description = "Models directory.", defaultValue = "models")
  Path out;

  @Option(
      names = "--eval-images",
      description = "Test images for the card's metrics.",
      defaultValue = "10000")
  int evalImages;

  @Option(
      names = "--images",
      description =
          "Natural-image models: train on every PNG/JPEG in "
              + "this folder (a customer's own frames) instead of the default photos.")
  Path images;

  @Option(
      names = "--natural-dir",
      description =
          "Natural-image models: where fetch-natural.sh "
              + "put the photos (default: $NATURAL_DIR or .cache/natural).")
  Path naturalDir;

  @Option(
      names = "--patch-size",
      description = "Natural-image models: training patch side.",
      defaultValue = "64")
  int patchSize;

  @Option(
      names = "--patches",
      description =
          "Natural-image models: patches cut per run " + "(default: the recipe's, else 48000).")
  Integer patches;

  @Option(names = "--channels", description = "Natural-image models: 1 (gray) or 3 (RGB).")
  Integer channels;

  @Option(
      names = "--views",
      description =
          "Natural-image models: export the mean over 1, 2, 4 or 8 flips and transposes of the "
              + "input (training is the same; serving costs that many passes).")
  Integer views;

  @Option(names = "--fresh", description = "Ignore an existing checkpoint.")
  boolean fresh;

  @Option(
      names = "--init-from",
      description =
          "Start from the weights of an exported model.onnx "
              + "(fine-tuning); its network is used unless --arch or sizes say otherwise.")
  Path initFrom;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    try {
      w.println("training on " + dev.denoiser.model.Torch.useDevice(device));
      ModelZoo.Recipe base = ModelZoo.recipe(name);
      if (base == null && arch == null && initFrom == null) {
        throw new Main.UserError(
            "unknown model '"
                + name
                + "': use one of "
                + String.join(", ", ModelZoo.names())
                + ", or give --arch or --init-from");
      }
      if (initFrom == null && arch == null && base != null && base.initFrom() != null) {
        initFrom = out.resolve(base.initFrom()).resolve(ModelCard.MODEL_FILE);
        if (!Files.isRegularFile(initFrom)) {
          throw new Main.UserError(
              name
                  + " is fine-tuned from "
                  + base.initFrom()
                  + ", and "
                  + initFrom
                  + " does not exist: run 'train "
                  + base.initFrom()
                  + "' first");
        }
      }
      OnnxImporter.Imported init = initFrom == null ? null : OnnxImporter.read(initFrom);
      NetSpec net =
          net(
              init != null
                  ? new ModelZoo.Recipe(
                      init.spec(),
                      base != null ? base.config() : TrainConfig.defaults(Noise.gaussian(0.5)),
                      base != null ? base.notes() : null,
                      true)
                  : base);
      TrainConfig cfg = config(base, init);
      Path dir = out.resolve(name);
      Path ck = dir.resolve("checkpoints").resolve(Checkpoint.FILE);
      OnnxExporter.checkWritable(dir);
      if (fresh) {
        Files.deleteIfExists(ck);
      }
      if (net.arch().residual()) {
        return trainNatural(w, net, cfg, dir, ck, init);
      }
      Mnist mnist = Mnist.locate(dataDir);
      ImageSet train = mnist.train();
      ImageSet test = mnist.test().head(evalImages);
      w.printf(
          Locale.ROOT, "training %s: %s, %s%n", name, net.toJson().encode(), cfg.toJson().encode());
      w.flush();
      Trainer.Result r;
      try (ProgressBarListener bar = new ProgressBarListener(name)) {
        r = Trainer.train(net, init == null ? null : init.weights(), cfg, train, bar, ck);
      }
      try (var model = r.model()) {
        JsonObject extra =
            init == null
                ? null
                : new JsonObject()
                    .put("initFrom", initFrom.getFileName().toString())
                    .put("initFromSha256", OnnxExporter.sha256(initFrom))
                    .put("initFromModel", init.metadata().getOrDefault("name", ""));
        ModelCard card =
            Publisher.publish(
                name,
                r,
                test,
                dir,
                version,
                base != null && base.net().equals(net) ? base.notes() : null,
                extra);
        w.printf(
            Locale.ROOT,
            "training throughput: %.0f images/s (batch %d, %d threads)%n",
            r.imagesPerSecond(),
            cfg.batchSize(),
            cfg.threads());
        w.printf(
            Locale.ROOT,
            "wrote %s (sha256 %s)%n",
            dir.resolve(ModelCard.MODEL_FILE),
            card.sha256());
        w.println("metrics: " + card.json().getJsonObject("metrics").encode());
      }
      return 0;
    } catch (DataException | ModelException e) {
      throw new Main.UserError(e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new Main.UserError("cannot write under " + out + ": " + e.getMessage(), e);
    }
  }

  private NetSpec net(ModelZoo.Recipe base) {
    NetSpec b =
        base != null ? base.net() : new NetSpec(arch, 32, 32, 16, arch.startsWith("conv") ? 8 : 0);
    String a = arch != null ? arch : b.architecture();
    return new NetSpec(
        a,
        c1 != null ? c1 : b.c1(),
        c2 != null ? c2 : b.c2(),
        latent != null ? latent : b.latentDim(),
        skip != null ? skip : b.skip(),
        mid != null ? mid : b.mid(),
        unet != null ? unet : b.unet(),
        channels != null ? channels : b.channels(),
        views != null ? views : dev.denoiser.model.ResidualUNet.named(a) ? b.views() : 1);
  }

  /** Trains a residual natural-image network on patches of photos and publishes it. */
  private int trainNatural(
      PrintWriter w, NetSpec net, TrainConfig cfg, Path dir, Path ck, OnnxImporter.Imported init) {
    NaturalImages photos =
        images != null
            ? NaturalImages.folder(images, net.channels())
            : NaturalImages.training(naturalDir, net.channels());
    ImageSet train =
        photos.patches(
            patchSize, patches != null ? patches : ModelZoo.patches(name, 48_000), cfg.seed());
    w.printf(
        Locale.ROOT,
        "training %s: %s, %s on %d patches of %dx%d from %d photos%n",
        name,
        net.toJson().encode(),
        cfg.toJson().encode(),
        train.count(),
        patchSize,
        patchSize,
        photos.photos().size());
    w.flush();
    Trainer.Result r;
    try (ProgressBarListener bar = new ProgressBarListener(name, "patches")) {
      r = Trainer.train(net, init == null ? null : init.weights(), cfg, train, bar, ck);
    }
    ModelZoo.Recipe base = ModelZoo.recipe(name);
    try (var model = r.model()) {
      JsonObject extra =
          new JsonObject()
              .put(
                  "trainSet",
                  images != null
                      ? "the PNG/JPEG images of a folder (" + photos.photos().size() + ")"
                      : photos.photos().size()
                          + " photos of opencv-doc and scikit-image (test photos excluded)")
              .put("patchSize", patchSize)
              .put("patches", train.count());
      if (init != null) {
        extra
            .put("initFrom", initFrom.getFileName().toString())
            .put("initFromSha256", OnnxExporter.sha256(initFrom));
      }
      ModelCard card =
          Publisher.publishNatural(
              name,
              r,
              dir,
              version,
              base != null && base.net().equals(net) ? base.notes() : null,
              extra);
      w.printf(
          Locale.ROOT,
          "training throughput: %.0f patches/s of %dx%d (batch %d, %d threads)%n",
          r.imagesPerSecond(),
          patchSize,
          patchSize,
          cfg.batchSize(),
          cfg.threads());
      w.printf(
          Locale.ROOT, "wrote %s (sha256 %s)%n", dir.resolve(ModelCard.MODEL_FILE), card.sha256());
    }
    return 0;
  }

  /** The recipe's config (or defaults) with the options given; noise falls back to init's. */
  private TrainConfig config(ModelZoo.Recipe base, OnnxImporter.Imported init) {
    TrainConfig b = base != null ? base.config() : TrainConfig.defaults(Noise.gaussian(0.5));
    if (noise == null && init != null && init.metadata().containsKey("noise")) {
      noise = init.metadata().get("noise");
    }
    double rate = lr != null ? lr : b.learningRate();
    double last =
        lrFinal != null
            ? lrFinal
            : lr == null
                ? b.finalLearningRate()
                : Math.min(rate, b.finalLearningRate() * rate / b.learningRate());
    return new TrainConfig(
        epochs != null ? epochs : b.epochs(),
        batch != null ? batch : b.batchSize(),
        rate,
        noise != null ? Noise.parse(noise) : b.noise(),
        seed != null ? seed : b.seed(),
        threads != null ? threads : b.threads(),
        limit != null ? limit : b.limit(),
        kl != null ? kl : b.klWeight(),
        last,
        loss != null ? TrainConfig.Loss.parse(loss) : b.loss());
  }

  /** The shipped recipe names, for the help text. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return ModelZoo.names().iterator();
    }
  }
}
