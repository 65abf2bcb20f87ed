package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.model.ModelCard;
import dev.denoiser.sample.FeedSample;
import dev.denoiser.sample.SampledFrame;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run in mode {@code self-supervised}: takes the {@link FeedSample} of the model (the noisy
 * frames it served), holds back every {@code feed.sample.holdoutEvery}-th frame for the gate, lets
 * the {@link SelfSupervisedLearner} fine-tune the serving version on the rest and estimate both
 * versions' PSNR on the held-back frames, writes the candidate to {@code candidates/v<N>/} with a
 * card that records the mode, the sigma estimate and the gate's numbers, and hands it to the {@link
 * Distributor} only if the gate estimates it better than the serving version.
 */
final class SelfSupervisedJob {
  private static final Logger LOG = LoggerFactory.getLogger(SelfSupervisedJob.class);

  /** Fewest sampled frames a run needs: some to train on and at least one to judge with. */
  static final int MIN_FRAMES = 2;

  private final Path modelsDir;
  private final FeedSample sample;
  private final int holdoutEvery;
  private final SelfSupervisedLearner learner;
  private final Distributor distributor;
  private final ModelInstaller installer;

  SelfSupervisedJob(
      Path modelsDir,
      FeedSample sample,
      int holdoutEvery,
      SelfSupervisedLearner learner,
      Distributor distributor,
      ModelInstaller installer) {
    this.modelsDir = modelsDir;
    this.sample = sample;
    this.holdoutEvery = Math.max(2, holdoutEvery);
    this.learner = learner;
    this.distributor = distributor;
    this.installer = installer;
  }

  /** Train and gate frames: every {@code holdoutEvery}-th sampled frame goes to the gate. */
  static List<List<Frame>> split(List<SampledFrame> frames, int holdoutEvery) {
    List<Frame> train = new ArrayList<>();
    List<Frame> gate = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      (i % holdoutEvery == holdoutEvery - 1 ? gate : train).add(frames.get(i).toFrame());
    }
    if (gate.isEmpty() && train.size() >= 2) {
      gate.add(train.remove(train.size() - 1));
    }
    return List.of(train, gate);
  }

  void refresh(TrainingRun run) throws Exception {
    if (sample == null || !sample.samples(run.model())) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "a self-supervised run of "
              + run.model()
              + " learns from the feed sample, and feed.sample.models does not name it");
    }
    run.phase("loading the serving model");
    ServingSnapshot serving = ServingSnapshot.read(modelsDir, run.model());
    run.phase("taking the feed sample");
    List<SampledFrame> frames = sample.snapshot(run.model());
    if (frames.size() < MIN_FRAMES) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "the feed sample of "
              + run.model()
              + " holds "
              + frames.size()
              + " frame(s); a self-supervised run needs at least "
              + MIN_FRAMES);
    }
    List<List<Frame>> parts = split(frames, holdoutEvery);
    List<Frame> train = parts.get(0);
    List<Frame> gate = parts.get(1);
    double sampleSigma =
        frames.stream()
            .mapToDouble(SampledFrame::sigma)
            .filter(Double::isFinite)
            .average()
            .orElse(Double.NaN);
    long version = Candidates.nextVersion(modelsDir, run.model(), serving.card().version());
    Path cand = Files.createDirectories(Candidates.dir(modelsDir, run.model(), version));
    run.phase("training");
    SelfSupervisedLearner.Outcome o =
        learner.learn(serving.onnx(), train, gate, run.params(), new RunProgress(run));
    run.phase("validating");
    boolean promote =
        o.better() && Double.isFinite(o.candidatePsnr()) && o.candidatePsnr() > o.servingPsnr();
    JsonObject gateJson =
        new JsonObject()
            .put("estimator", o.report().getString("estimator", "clipped-sure"))
            .put("servingVersion", serving.card().version())
            .put("servingPsnrEstimate", round3(o.servingPsnr()))
            .put("candidatePsnrEstimate", round3(o.candidatePsnr()))
            .put("gateFrames", gate.size())
            .put("promote", promote)
            .put("report", o.report())
            .put("runId", run.id());
    JsonObject training =
        new JsonObject()
            .put("mode", TrainParams.SELF_SUPERVISED)
            .put("sigmaEstimate", round3(o.sigma()))
            .put("sampleSigmaMean", round3(sampleSigma))
            .put("trainFrames", train.size())
            .put("gateFrames", gate.size())
            .put("epochs", run.params().epochs())
            .put("learningRate", run.params().learningRate())
            .put("batchSize", run.params().batchSize())
            .put("seed", run.params().seed())
            .put("seconds", Math.round(o.trainSeconds() * 10) / 10.0)
            .put("initFrom", "version " + serving.card().version())
            .put("initFromSha256", serving.card().sha256())
            .put("runId", run.id())
            .put("trigger", run.trigger());
    ModelCard card =
        serving
            .card()
            .withVersion(version)
            .withSha256(ModelLoader.sha256(o.candidateOnnx()))
            .with("training", training)
            .with("gate", gateJson);
    Files.write(cand.resolve(ModelCard.MODEL_FILE), o.candidateOnnx());
    card.write(cand.resolve(ModelCard.FILE));
    JsonObject result =
        new JsonObject()
            .put("mode", TrainParams.SELF_SUPERVISED)
            .put("version", version)
            .put("candidateDir", cand.toString())
            .put("sigmaEstimate", round3(o.sigma()))
            .put("gate", gateJson.copy().put("report", (Object) null))
            .put("trainFrames", train.size())
            .put("trainSeconds", Math.round(o.trainSeconds() * 10) / 10.0);
    LOG.info(
        "run {}: self-supervised gate {} candidate {} v{}: estimated PSNR {} vs serving v{} {} ({} held-back frames, sigma {})",
        run.id(),
        promote ? "PROMOTES" : "REJECTS",
        run.model(),
        version,
        fmt(o.candidatePsnr()),
        serving.card().version(),
        fmt(o.servingPsnr()),
        gate.size(),
        fmt(o.sigma()));
    if (!promote) {
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
    String where = distributor.publish(card, o.candidateOnnx());
    run.finish(TrainingRun.State.PROMOTED, result.put("publishedTo", where));
  }

  private static Double round3(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
