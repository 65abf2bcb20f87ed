package dev.denoiser.cli;

import dev.denoiser.error.UserError;
import dev.denoiser.trust.SigningKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keygen --out DIR}: makes an Ed25519 key pair for signing models: {@code DIR/signing.key}
 * (private, mode 600) and {@code DIR/signing.pub} (public). Give the directory to the trainer as
 * {@code models.signature.keyDir}, and the public key file to every replica in {@code
 * models.signature.trustedKeys}. Refuses to overwrite an existing key.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description =
        "Make an Ed25519 key pair for signing models (signing.key mode 600, signing.pub).")
public final class KeygenCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      description = "Directory for signing.key and signing.pub.")
  Path out;

  @Override
  public Integer call() {
    KeyPair pair = SigningKeys.generate();
    try {
      SigningKeys.write(out, pair);
    } catch (IOException e) {
      throw new UserError("cannot write the key pair to " + out + ": " + e.getMessage());
    }
    System.out.println(
        "key "
            + SigningKeys.keyId(pair.getPublic())
            + ": private "
            + out.resolve(SigningKeys.PRIVATE_FILE)
            + " (mode 600), public "
            + out.resolve(SigningKeys.PUBLIC_FILE));
    System.out.println(
        "trust it with: models.signature.trustedKeys=" + out.resolve(SigningKeys.PUBLIC_FILE));
    return 0;
  }
}
