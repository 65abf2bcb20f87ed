package dev.denoiser.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.OrtEnv;
import dev.denoiser.trust.ModelSignature;
import dev.denoiser.trust.ModelTrust;
import dev.denoiser.trust.ModelVerifier;
import dev.denoiser.trust.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Loads and checks one {@code models/<name>/} directory. A model is accepted only when the
 * directory and its files are real (no symbolic links), the card names the directory, its {@code
 * model.onnx} matches the card's sha256, it carries an Ed25519 signature of a trusted key ({@code
 * model.sig}, checked by {@link ModelTrust}'s verifier when signatures are required), it parses,
 * has the service's input/output signature (input {@code noisy} [N,1,H,W], outputs {@code denoised}
 * [N,1,H,W] and {@code latent} [N,D] with the card's sizes), and answers a test frame. Anything
 * else is a {@code MODEL_REJECTED} with the reason. The files are read once: the session is made
 * from the very bytes that were hashed and verified.
 */
public final class ModelLoader {
  private final Device device;
  private final int intraOpThreads;
  private final ModelTrust trust;

  /** A loader that checks no signatures (tools, benchmarks, tests). */
  public ModelLoader(Device device, int intraOpThreads) {
    this(device, intraOpThreads, null);
  }

  /** A loader that installs only what {@code trust} verifies ({@code null}: no signature check). */
  public ModelLoader(Device device, int intraOpThreads, ModelTrust trust) {
    this.device = device;
    this.intraOpThreads = intraOpThreads;
    this.trust = trust;
    OrtEnv.get();
  }

  public Device device() {
    return device;
  }

  /** The trust this loader checks signatures with, or null. */
  public ModelTrust trust() {
    return trust;
  }

  public ModelHandle load(Path dir) {
    return load(dir, FrameShaper.Tiling.DEFAULT);
  }

  /** Loads a model that cuts large frames into tiles as {@code tiling} says. */
  ModelHandle load(Path dir, FrameShaper.Tiling tiling) {
    ModelCard card = readCard(dir);
    String dirName = dir.getFileName().toString();
    if (!card.name().equals(dirName)) {
      throw reject(
          dirName,
          "its card names '" + abbreviate(card.name()) + "'; a model's name is its directory's");
    }
    Path onnx = dir.resolve(ModelCard.MODEL_FILE);
    byte[] bytes;
    try {
      bytes = SafeFiles.read(onnx, ModelTrust.MAX_MODEL_BYTES);
    } catch (IOException e) {
      throw reject(card.name(), "cannot read " + ModelCard.MODEL_FILE + ": " + e.getMessage());
    }
    checkSha256(card, bytes);
    checkTrust(card, bytes, dir);
    checkSignature(card, bytes);
    Model model = open(card, bytes);
    ModelHandle handle = new ModelHandle(card, model, new FrameBatchTranslator(), tiling);
    smokeTest(handle);
    return handle;
  }

  static ModelCard readCard(Path dir) {
    Path file = dir.resolve(ModelCard.FILE);
    String name = dir.getFileName().toString();
    if (!SafeFiles.isRealDirectory(dir)) {
      throw reject(name, "not a directory of its own (a symbolic link, or missing)");
    }
    ModelCard card;
    try {
      card =
          ModelCard.fromJson(
              new io.vertx.core.json.JsonObject(
                  new String(
                      SafeFiles.read(file, 1 << 20), java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      throw reject(name, "unreadable " + ModelCard.FILE + ": " + oneLine(e));
    }
    if (card.name() == null || card.latentDim() <= 0) {
      throw reject(name, ModelCard.FILE + " must name the model and give latentDim");
    }
    return card;
  }

  private static void checkSha256(ModelCard card, byte[] bytes) {
    if (card.sha256() == null || card.sha256().isBlank()) {
      throw reject(card.name(), "card has no sha256 of model.onnx");
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(card.sha256())) {
      throw reject(
          card.name(), "sha256 mismatch: card says " + card.sha256() + ", model.onnx is " + actual);
    }
  }

  private void checkTrust(ModelCard card, byte[] bytes, Path dir) {
    if (trust == null) {
      return;
    }
    Path file = dir.resolve(ModelSignature.FILE);
    ModelSignature sig = null;
    try {
      if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        sig = ModelSignature.decode(SafeFiles.read(file, 1 << 16));
      } else {
        sig = trust.remembered(card.name());
      }
      trust.verifier().verify(card, bytes, sig);
    } catch (IOException | IllegalArgumentException e) {
      throw reject(
          card.name(), "bad_signature: unreadable " + ModelSignature.FILE + ": " + oneLine(e));
    } catch (ModelVerifier.Refused e) {
      throw reject(card.name(), e.reason() + ": " + e.getMessage());
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkSignature(ModelCard card, byte[] bytes) {
    OrtEnvironment env = OrtEnv.get();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(bytes, so)) {
      Map<String, NodeInfo> in = s.getInputInfo();
      Map<String, NodeInfo> out = s.getOutputInfo();
      if (in.size() != 1 || !in.containsKey(ModelCard.INPUT)) {
        throw reject(card.name(), "input must be exactly 'noisy', got " + in.keySet());
      }
      if (!out.containsKey(ModelCard.OUTPUT_DENOISED)
          || !out.containsKey(ModelCard.OUTPUT_LATENT)) {
        throw reject(
            card.name(), "outputs must include 'denoised' and 'latent', got " + out.keySet());
      }
      long[] x = shape(card, in.get(ModelCard.INPUT));
      long[] y = shape(card, out.get(ModelCard.OUTPUT_DENOISED));
      long[] z = shape(card, out.get(ModelCard.OUTPUT_LATENT));
      long h = card.dynamicSize() ? -1 : card.height();
      long w = card.dynamicSize() ? -1 : card.width();
      long c = card.channels();
      expect(card, "noisy", x, new long[] {-1, c, h, w});
      expect(card, "denoised", y, new long[] {-1, c, h, w});
      expect(card, "latent", z, new long[] {-1, card.latentDim()});
    } catch (OrtException e) {
      throw reject(card.name(), "model.onnx does not parse: " + oneLine(e));
    }
  }

  private static long[] shape(ModelCard card, NodeInfo node) {
    ValueInfo info = node.getInfo();
    if (!(info instanceof TensorInfo t) || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw reject(card.name(), node.getName() + " must be a float32 tensor, got " + info);
    }
    return t.getShape();
  }

  // -1 in `want` accepts any dimension; the model's own -1 (dynamic) is accepted only where we want
  // -1.
  private static void expect(ModelCard card, String name, long[] got, long[] want) {
    boolean ok = got.length == want.length;
    for (int i = 0; ok && i < want.length; i++) {
      ok = want[i] == -1 || got[i] == want[i];
    }
    if (!ok) {
      throw reject(
          card.name(),
          name
              + " has shape "
              + java.util.Arrays.toString(got)
              + ", expected "
              + java.util.Arrays.toString(want).replace("-1", "?")
              + " for the card");
    }
  }

  private Model open(ModelCard card, byte[] bytes) {
    int threads = intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    Model model = Model.newInstance(card.name(), device, "OnnxRuntime");
    try {
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setIntraOpNumThreads(threads);
      so.setInterOpNumThreads(1);
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // Idle ONNX Runtime threads must not spin: on a small machine they would take the cores the
      // event loops need between batches.
      so.addConfigEntry("session.intra_op.allow_spinning", "0");
      // the bytes that were hashed and verified, not the file again
      model.load(new java.io.ByteArrayInputStream(bytes), Map.of("sessionOptions", so));
      return model;
    } catch (MalformedModelException | IOException | OrtException | RuntimeException e) {
      model.close();
      throw reject(
          card.name(), "ONNX Runtime cannot load it on " + device + ": " + oneLine(rootCause(e)));
    }
  }

  private static void smokeTest(ModelHandle handle) {
    ModelCard c = handle.card();
    int h = c.dynamicSize() ? 4 * c.sizeMultiple() : c.height();
    int w = c.dynamicSize() ? 4 * c.sizeMultiple() : c.width();
    try {
      float[][][] out = handle.run(List.of(new Frame(new float[h * w], h, w)));
      if (out[0][0].length != h * w || out[1][0].length != c.latentDim()) {
        throw reject(
            c.name(),
            "test run gave "
                + out[0][0].length
                + " pixels and a latent of "
                + out[1][0].length
                + ", expected "
                + (h * w)
                + " and "
                + c.latentDim());
      }
    } catch (DenoiserException e) {
      handle.release();
      throw e;
    } catch (Exception e) {
      handle.release();
      throw reject(c.name(), "test run failed: " + oneLine(rootCause(e)));
    }
  }

  static DenoiserException reject(String model, String reason) {
    return new DenoiserException(
        ErrorCode.MODEL_REJECTED, "model '" + model + "' rejected: " + reason);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
