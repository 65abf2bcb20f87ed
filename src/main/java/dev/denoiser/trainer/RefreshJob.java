package dev.denoiser.trainer;

import dev.denoiser.data.DataException;
import dev.denoiser.data.Noise;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.Models;
import dev.denoiser.model.NetModel;
import dev.denoiser.model.NetSpec;
import dev.denoiser.model.TrainConfig;
import dev.denoiser.model.Trainer;
import dev.denoiser.model.Weights;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from start to decision, on the trainer's worker thread: snapshot the serving
 * model of {@code models.dir/<name>/}, fine-tune its weights (or start from scratch) on {@link
 * TrainingData}, export the candidate to {@code candidates/v<N>/}, let the {@link ValidationGate}
 * judge it on the holdout, record the decision in the candidate's card and the log, and hand a
 * promoted candidate to the {@link Distributor}. Every failure ends the run (state failed, with the
 * reason) and nothing else.
 */
final class RefreshJob {
  private static final Logger LOG = LoggerFactory.getLogger(RefreshJob.class);
  private final Path modelsDir;
  private final TrainingData data;
  private final ValidationGate gate;
  private final Distributor distributor;
  private final ModelInstaller installer;
  private final TrainerMetrics metrics;
  private final int threads;
  private final SelfSupervisedJob selfSupervised;

  RefreshJob(
      Path modelsDir,
      TrainingData data,
      ValidationGate gate,
      Distributor distributor,
      ModelInstaller installer,
      TrainerMetrics metrics,
      int threads) {
    this(modelsDir, data, gate, distributor, installer, metrics, threads, null);
  }

  /** {@code selfSupervised} runs the runs of mode self-supervised (null: they fail). */
  RefreshJob(
      Path modelsDir,
      TrainingData data,
      ValidationGate gate,
      Distributor distributor,
      ModelInstaller installer,
      TrainerMetrics metrics,
      int threads,
      SelfSupervisedJob selfSupervised) {
    this.selfSupervised = selfSupervised;
    this.modelsDir = modelsDir;
    this.data = data;
    this.gate = gate;
    this.distributor = distributor;
    this.installer = installer;
    this.metrics = metrics;
    this.threads = threads;
  }

  /** Runs {@code run} to its end; never throws. */
  void run(TrainingRun run) {
    LOG.info(
        "run {}: training {} ({}) with {}",
        run.id(),
        run.model(),
        run.trigger(),
        run.params().toJson().encode());
    try {
      refresh(run);
    } catch (CancellationException e) {
      if (run.cancelReason() != null) {
        run.finish(TrainingRun.State.CANCELLED, new JsonObject().put("reason", run.cancelReason()));
      } else {
        run.finish(
            TrainingRun.State.FAILED,
            new JsonObject().put("error", "cancelled: the trainer is shutting down"));
      }
    } catch (DenoiserException | ModelException | DataException e) {
      run.finish(TrainingRun.State.FAILED, new JsonObject().put("error", e.getMessage()));
    } catch (Exception e) {
      LOG.error("run {} failed", run.id(), e);
      run.finish(TrainingRun.State.FAILED, new JsonObject().put("error", e.toString()));
    }
    metrics.run(run.model(), run.state());
    LOG.info(
        "run {} ({}) {}: {}", run.id(), run.model(), run.state().label(), run.result().encode());
  }

  private void refresh(TrainingRun run) throws Exception {
    TrainParams p = run.params();
    if (p.selfSupervised()) {
      if (selfSupervised == null) {
        throw new DenoiserException(
            ErrorCode.BAD_REQUEST, "this trainer has no feed sample for self-supervised runs");
      }
      selfSupervised.refresh(run);
      return;
    }
    run.phase("loading the serving model");
    ServingSnapshot serving = ServingSnapshot.read(modelsDir, run.model());
    Noise gateNoise = gateNoise(serving.card(), p);
    Noise trainNoise = p.noise() != null ? Noise.parse(p.noise()) : gateNoise;
    long version = Candidates.nextVersion(modelsDir, run.model(), serving.card().version());
    Path cand = Files.createDirectories(Candidates.dir(modelsDir, run.model(), version));
    Path baseline = Files.createTempFile("denoiser-serving-", ".onnx");
    try {
      Files.write(baseline, serving.onnx());
      NetSpec spec;
      Weights init;
      try (NetModel base = Models.load(baseline)) {
        spec = base.spec();
        init = p.fromScratch() ? null : base.weights();
      }
      run.phase("loading data");
      TrainingData.Sets sets = data.assemble(p.limit());
      // Fine-tuning keeps the objective the serving model was made with (the default's is the PSNR
      // loss); from scratch, cross-entropy, which does not collapse from random weights.
      JsonObject made = serving.card().json().getJsonObject("training", new JsonObject());
      TrainConfig cfg =
          new TrainConfig(
              p.epochs(),
              p.batchSize(),
              p.learningRate(),
              trainNoise,
              p.seed(),
              threads,
              0,
              made.getDouble("klWeight", 1.0),
              p.learningRate(),
              p.fromScratch()
                  ? TrainConfig.Loss.BCE
                  : TrainConfig.Loss.parse(made.getString("loss")));
      run.phase("training");
      Trainer.Result r = Models.train(spec, init, cfg, sets.train(), new RunProgress(run), null);
      metrics.speed(r.imagesPerSecond());
      ModelCard card;
      try (NetModel m = r.model()) {
        run.phase("exporting");
        JsonObject training =
            cfg.toJson()
                .mergeIn(sets.trainInfo())
                .put("imagesPerSecond", Math.round(r.imagesPerSecond()))
                .put("seconds", Math.round(r.seconds() * 10) / 10.0)
                .put(
                    "initFrom", p.fromScratch() ? "scratch" : "version " + serving.card().version())
                .put("initFromSha256", serving.card().sha256())
                .put("runId", run.id())
                .put("trigger", run.trigger());
        JsonObject extra =
            new JsonObject()
                .put("noise", trainNoise.spec())
                .put("training", training)
                .put("notes", serving.card().json().getString("notes", ""));
        card =
            Models.export(
                m,
                new ModelCard(run.model(), spec.architecture(), version, null, 0, 0, 1, 0, extra),
                cand);
      }
      run.phase("validating");
      ValidationGate.Decision d =
          gate.judge(
              cand.resolve(ModelCard.MODEL_FILE),
              baseline,
              serving.card().version(),
              sets.holdout(),
              gateNoise,
              sets.holdoutInfo());
      card = card.with("gate", d.toJson().put("runId", run.id()));
      card.write(cand.resolve(ModelCard.FILE));
      JsonObject result =
          new JsonObject()
              .put("version", version)
              .put("candidateDir", cand.toString())
              .put("gate", d.toJson())
              .put("imagesPerSecond", Math.round(r.imagesPerSecond()))
              .put("trainImages", sets.train().count())
              .put("trainSeconds", Math.round(r.seconds() * 10) / 10.0);
      LOG.info(
          "run {}: gate {} candidate {} v{}: PSNR {} vs serving v{} {} (tolerance {} dB, {} holdout images, noise {})",
          run.id(),
          d.promote() ? "PROMOTES" : "REJECTS",
          run.model(),
          version,
          fmt(d.candidate().psnr()),
          serving.card().version(),
          fmt(d.serving().psnr()),
          d.tolerance(),
          sets.holdout().count(),
          d.noise());
      if (!d.promote()) {
        run.finish(
            TrainingRun.State.REJECTED,
            result.put("note", "kept for inspection in " + cand + "; never served"));
        return;
      }
      run.phase("publishing");
      long now = installer.currentVersion(run.model());
      if (now >= version) {
        throw new DenoiserException(
            ErrorCode.MODEL_REJECTED,
            "superseded: version "
                + now
                + " of "
                + run.model()
                + " arrived while this run trained version "
                + version);
      }
      byte[] onnx = Files.readAllBytes(cand.resolve(ModelCard.MODEL_FILE));
      if (!ModelLoader.sha256(onnx).equals(card.sha256())) {
        throw new DenoiserException(
            ErrorCode.INTERNAL, "candidate " + cand + " changed on disk during the run");
      }
      String where = distributor.publish(card, onnx);
      run.finish(TrainingRun.State.PROMOTED, result.put("publishedTo", where));
    } finally {
      Files.deleteIfExists(baseline);
    }
  }

  private static Noise gateNoise(ModelCard serving, TrainParams p) {
    String spec = serving.json().getString("noise");
    if (spec == null && p.noise() == null) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "the card of " + serving.name() + " names no training noise; give params.noise");
    }
    return Noise.parse(spec != null ? spec : p.noise());
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.3f", v);
  }
}
