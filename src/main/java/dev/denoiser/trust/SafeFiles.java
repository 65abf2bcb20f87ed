package dev.denoiser.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Reads under {@code models.dir} without following symbolic links: a model directory or file that
 * is a link (to somewhere outside, or anywhere) is refused, so what is checked is what is inside.
 */
public final class SafeFiles {
  private SafeFiles() {}

  /** True when {@code dir} is a directory itself, not a link to one. */
  public static boolean isRealDirectory(Path dir) {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
  }

  /** True when {@code file} is a regular file itself, not a link to one. */
  public static boolean isRealFile(Path file) {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The bytes of {@code file}, which must be a regular file (not a link) of at most {@code
   * maxBytes}.
   *
   * @throws IOException when it is a link, not a regular file, too large, or unreadable
   */
  public static byte[] read(Path file, long maxBytes) throws IOException {
    if (Files.isSymbolicLink(file)) {
      throw new IOException(file.getFileName() + " is a symbolic link");
    }
    try (SeekableByteChannel ch =
        Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        throw new IOException(file.getFileName() + " is not a regular file");
      }
      long size = ch.size();
      if (size > maxBytes) {
        throw new IOException(
            file.getFileName() + " has " + size + " bytes, more than " + maxBytes);
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read to the end
      }
      if (b.hasRemaining()) {
        throw new IOException(file.getFileName() + " shrank while read");
      }
      return b.array();
    }
  }
}
