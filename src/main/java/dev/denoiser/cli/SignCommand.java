package dev.denoiser.cli;

import dev.denoiser.error.UserError;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelSignature;
import dev.denoiser.trust.ModelSigner;
import dev.denoiser.trust.ModelTrust;
import dev.denoiser.trust.SafeFiles;
import dev.denoiser.trust.SigningKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sign --key DIR MODEL_DIR...}: writes {@code model.sig} into each model directory, signed
 * with the key pair of {@code DIR} (made by {@code keygen}). Each directory must be a real
 * directory named as its card, whose {@code model.onnx} matches the card's sha256.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = "Sign model directories (writes model.sig) with a key pair made by keygen.")
public final class SignCommand implements Callable<Integer> {
  @Option(
      names = "--key",
      required = true,
      description = "Directory with signing.key and signing.pub.")
  Path keyDir;

  @Parameters(
      arity = "1..*",
      paramLabel = "MODEL_DIR",
      description = "Model directories (models/<name>).")
  List<Path> dirs;

  @Override
  public Integer call() throws Exception {
    ModelSigner signer;
    try {
      signer = new ModelSigner(SigningKeys.read(keyDir));
    } catch (IOException e) {
      throw new UserError(e.getMessage());
    }
    for (Path dir : dirs) {
      if (!SafeFiles.isRealDirectory(dir)) {
        throw new UserError(dir + " is not a directory (or is a symbolic link)");
      }
      byte[] cardBytes = SafeFiles.read(dir.resolve(ModelCard.FILE), 1 << 20);
      ModelCard card =
          ModelCard.fromJson(new JsonObject(new String(cardBytes, StandardCharsets.UTF_8)));
      byte[] onnx = SafeFiles.read(dir.resolve(ModelCard.MODEL_FILE), ModelTrust.MAX_MODEL_BYTES);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
      if (!card.name().equals(dir.getFileName().toString())) {
        throw new UserError(
            dir + ": the card names '" + card.name() + "'; a model's name is its directory's");
      }
      if (!sha.equalsIgnoreCase(card.sha256())) {
        throw new UserError(
            dir + ": model.onnx has sha256 " + sha + ", the card says " + card.sha256());
      }
      Files.write(dir.resolve(ModelSignature.FILE), signer.sign(card, onnx).encode());
      System.out.println(
          "signed " + card.name() + " version " + card.version() + " with key " + signer.keyId());
    }
    return 0;
  }
}
