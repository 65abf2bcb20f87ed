package dev.denoiser.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 key pairs and their files. {@code signing.key}: the private key, PKCS#8 DER in base64 on
 * one line, created with mode 600 (never readable by others, not even for a moment); {@code
 * signing.pub}: the public key, X.509 DER in base64 on one line, the form {@code
 * models.signature.trustedKeys} takes inline too. A key's id is the first 16 hex digits of the
 * sha256 of its X.509 encoding.
 */
public final class SigningKeys {
  public static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_FILE = "signing.key";
  public static final String PUBLIC_FILE = "signing.pub";

  private SigningKeys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
    }
  }

  /**
   * Writes {@code signing.key} (mode 600) and {@code signing.pub} into {@code dir}; refuses to
   * overwrite.
   */
  public static void write(Path dir, KeyPair pair) throws IOException {
    Files.createDirectories(dir);
    Path priv = dir.resolve(PRIVATE_FILE);
    if (Files.exists(priv, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(priv.toString(), null, "a key pair is already there");
    }
    byte[] text =
        (Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    try {
      Files.createFile(
          priv,
          PosixFilePermissions.asFileAttribute(
              Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } catch (UnsupportedOperationException e) {
      Files.createFile(priv);
    }
    Files.write(
        priv,
        text,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING,
        LinkOption.NOFOLLOW_LINKS);
    Files.writeString(
        dir.resolve(PUBLIC_FILE), encode(pair.getPublic()) + "\n", StandardCharsets.US_ASCII);
  }

  /** True when {@code dir} holds a private key file. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(PRIVATE_FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Reads the key pair of {@code dir}; the private key file must not be readable by group or
   * others.
   */
  public static KeyPair read(Path dir) throws IOException {
    Path priv = dir.resolve(PRIVATE_FILE);
    if (Files.isSymbolicLink(priv)) {
      throw new IOException(priv + " is a symbolic link; refusing it");
    }
    try {
      Set<PosixFilePermission> perms =
          Files.getPosixFilePermissions(priv, LinkOption.NOFOLLOW_LINKS);
      if (perms.stream()
          .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        throw new IOException(
            priv
                + " is readable by others ("
                + PosixFilePermissions.toString(perms)
                + "); chmod 600 it");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    try {
      KeyFactory kf = KeyFactory.getInstance(ALGORITHM);
      PrivateKey p =
          kf.generatePrivate(
              new PKCS8EncodedKeySpec(
                  Base64.getDecoder()
                      .decode(Files.readString(priv, StandardCharsets.US_ASCII).trim())));
      PublicKey pub =
          parsePublic(Files.readString(dir.resolve(PUBLIC_FILE), StandardCharsets.US_ASCII).trim());
      return new KeyPair(pub, p);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("cannot read the key pair in " + dir + ": " + e.getMessage());
    }
  }

  /**
   * A public key given as a file ({@code signing.pub} or any file with the base64 text) or inline
   * base64.
   */
  public static PublicKey publicKey(String fileOrBase64) throws IOException {
    String s = fileOrBase64.trim();
    Path p;
    try {
      p = Path.of(s);
    } catch (RuntimeException e) {
      p = null;
    }
    String text =
        p != null && Files.isRegularFile(p)
            ? Files.readString(p, StandardCharsets.US_ASCII).trim()
            : s;
    try {
      return parsePublic(text);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "not an Ed25519 public key (a file or base64 X.509): '" + abbreviate(s) + "'");
    }
  }

  static PublicKey parsePublic(String base64) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM)
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()))
          .substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
