package dev.denoiser.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files: round trips raw and gzip, and every kind of corruption is a one-line error. */
class IdxTest {
  @TempDir Path dir;

  private static byte[] pixels(int n) {
    byte[] b = new byte[n * 4 * 3];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 7);
    }
    return b;
  }

  @Test
  void roundTripsRawAndGzip() throws Exception {
    byte[] px = pixels(5);
    for (boolean gz : new boolean[] {false, true}) {
      Path f = dir.resolve("img" + gz);
      Idx.write(f, Idx.IMAGES_MAGIC, new int[] {5, 4, 3}, px, gz);
      Idx.Data d = Idx.read(f, Idx.IMAGES_MAGIC);
      assertArrayEquals(new int[] {5, 4, 3}, d.dims());
      assertArrayEquals(px, d.bytes());
    }
  }

  @Test
  void missingFileNamesTheFetchCommand() {
    DataException e =
        assertThrows(DataException.class, () -> Idx.read(dir.resolve("nope"), Idx.IMAGES_MAGIC));
    assertTrue(e.getMessage().contains("sh src/scripts/fetch-mnist.sh"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void wrongMagicTruncationAndTrailingBytesAreCorrupt() throws Exception {
    Path f = dir.resolve("f");
    Idx.write(f, Idx.LABELS_MAGIC, new int[] {60}, pixels(5), false);
    assertTrue(
        assertThrows(DataException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC))
            .getMessage()
            .contains("magic"));

    byte[] full = Idx.encode(Idx.IMAGES_MAGIC, new int[] {5, 4, 3}, pixels(5), false);
    Files.write(f, Arrays.copyOf(full, full.length - 10));
    assertTrue(
        assertThrows(DataException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC))
            .getMessage()
            .contains("truncated"));

    Files.write(f, Arrays.copyOf(full, full.length + 3));
    assertTrue(
        assertThrows(DataException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC))
            .getMessage()
            .contains("trailing"));

    byte[] gz = Idx.encode(Idx.IMAGES_MAGIC, new int[] {5, 4, 3}, pixels(5), true);
    gz[gz.length / 2] ^= 0x5a;
    gz[gz.length / 2 + 1] ^= 0x33;
    Files.write(f, gz);
    DataException e = assertThrows(DataException.class, () -> Idx.read(f, Idx.IMAGES_MAGIC));
    assertTrue(e.getMessage().contains("fetch-mnist"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() throws Exception {
    Path img = dir.resolve("img");
    Path lab = dir.resolve("lab");
    Idx.write(img, Idx.IMAGES_MAGIC, new int[] {5, 4, 3}, pixels(5), false);
    Idx.write(lab, Idx.LABELS_MAGIC, new int[] {4}, new byte[4], false);
    Idx.Data i = Idx.read(img, Idx.IMAGES_MAGIC);
    Idx.Data l = Idx.read(lab, Idx.LABELS_MAGIC);
    assertThrows(DataException.class, () -> ImageSet.of(i, l, "x"));
  }
}
