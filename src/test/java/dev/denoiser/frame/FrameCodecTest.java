package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  final FrameCodec codec = new FrameCodec(100 * 100);

  @Test
  void roundTripsEveryFormat() {
    float[] px = new float[6 * 5];
    for (int i = 0; i < px.length; i++) {
      px[i] = i / 29f;
    }
    Frame f = new Frame(px, 6, 5);
    for (MediaType t : MediaType.values()) {
      Frame back = codec.decode(t, FrameCodec.encode(f, t), 5, 6, "s", "id");
      assertEquals(6, back.height());
      assertEquals(5, back.width());
      // rgb8 carries a gray frame as R = G = B; JPEG is lossy.
      assertEquals(t == MediaType.RGB8 ? 3 : 1, back.channels(), t.name());
      double tol = t == MediaType.FLOAT32 ? 0 : t == MediaType.JPEG ? 6.0 / 255 : 0.5 / 255;
      for (int i = 0; i < back.pixelCount(); i++) {
        assertEquals(px[i % px.length], back.pixels()[i], tol + 1e-7, t + " pixel " + i);
      }
    }
  }

  @Test
  void colourRoundTripsInEveryColourFormat() {
    int n = 6 * 5;
    float[] px = new float[3 * n];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i * 37 % 256) / 255f;
    }
    Frame f = new Frame(px, 6, 5, "s", "id", 3);
    for (MediaType t : new MediaType[] {MediaType.PNG, MediaType.RGB8, MediaType.FLOAT32}) {
      Frame back = codec.decode(t, FrameCodec.encode(f, t), 5, 6, "s", "id");
      assertEquals(3, back.channels(), t.name());
      for (int i = 0; i < px.length; i++) {
        assertEquals(px[i], back.pixels()[i], 0.5 / 255 + 1e-7, t + " value " + i);
      }
    }
    Frame gray =
        codec.decode(MediaType.GRAY8, FrameCodec.encode(f, MediaType.GRAY8), 5, 6, null, null);
    assertEquals(1, gray.channels());
    assertEquals(
        0.299 * px[0] + 0.587 * px[n] + 0.114 * px[2 * n], gray.pixels()[0], 0.5 / 255 + 1e-6);
  }

  @Test
  void sixteenBitGrayPngsKeepTheirStoredValues() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 16384);
    img.getRaster().setSample(1, 0, 0, 65535);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    Frame f = codec.decode(MediaType.PNG, out.toByteArray(), null, null, null, null);
    assertEquals(1, f.channels());
    // No colour-space conversion: a quarter of full scale stays a quarter.
    assertEquals(16384 / 65535f, f.pixels()[0], 1e-6);
    assertEquals(1f, f.pixels()[1], 1e-6);
  }

  @Test
  void hugeDeclaredSizesDoNotOverflowTheLimit() {
    assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> codec.checkSize(0xFFFFFFFFL, 0xFFFFFFFFL));
    assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> codec.checkSize(1L << 32, 1L << 32));
  }

  @Test
  void colourPngsAndJpegsStayColour() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xff0000);
    img.setRGB(1, 0, 0x00ff00);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    Frame f = codec.decode(MediaType.PNG, out.toByteArray(), null, null, null, null);
    assertEquals(3, f.channels());
    // R plane, then G plane.
    assertEquals(1f, f.pixels()[0], 1e-6);
    assertEquals(0f, f.pixels()[1], 1e-6);
    assertEquals(0f, f.pixels()[2], 1e-6);
    assertEquals(1f, f.pixels()[3], 1e-6);
    out.reset();
    BufferedImage big = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        big.setRGB(x, y, 0x2080c0);
      }
    }
    ImageIO.write(big, "jpeg", out);
    Frame j =
        codec.decode(MediaType.parse("image/jpeg"), out.toByteArray(), null, null, null, null);
    assertEquals(3, j.channels());
    assertEquals(0x20 / 255f, j.pixels()[0], 4 / 255f);
    assertEquals(0xc0 / 255f, j.pixels()[2 * 256], 4 / 255f);
    assertCode(
        ErrorCode.INVALID_FRAME,
        () ->
            codec.decode(
                MediaType.JPEG,
                new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3},
                null,
                null,
                null,
                null));
  }

  @Test
  void refusesWhatCannotBeAFrame() {
    assertCode(
        ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.GRAY8, new byte[10], 3, 3, null, null));
    assertCode(
        ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.GRAY8, new byte[0], 0, 3, null, null));
    assertCode(
        ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.GRAY8, new byte[9], -3, -3, null, null));
    assertCode(
        ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.GRAY8, new byte[9], null, 3, null, null));
    assertCode(
        ErrorCode.PAYLOAD_TOO_LARGE,
        () -> codec.decode(MediaType.GRAY8, new byte[101 * 100], 101, 100, null, null));
    assertCode(
        ErrorCode.INVALID_FRAME,
        () -> codec.decode(MediaType.PNG, new byte[] {1, 2, 3}, null, null, null, null));
    assertCode(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> MediaType.parse("text/plain"));
    assertCode(ErrorCode.UNSUPPORTED_MEDIA_TYPE, () -> MediaType.parse(null));
    float[] inf = {0, Float.POSITIVE_INFINITY, 0, 0};
    DenoiserException e =
        assertCode(
            ErrorCode.INVALID_FRAME,
            () -> codec.decode(MediaType.FLOAT32, FrameCodec.toFloat32(inf), 2, 2, null, null));
    assertTrue(e.getMessage().contains("infinite"));
  }

  @Test
  void outOfRangeFloatsAreClipped() {
    Frame f =
        codec.decode(
            MediaType.FLOAT32, FrameCodec.toFloat32(new float[] {-0.5f, 1.5f}), 2, 1, null, null);
    assertEquals(0f, f.pixels()[0]);
    assertEquals(1f, f.pixels()[1]);
  }

  static DenoiserException assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable r) {
    DenoiserException e = assertThrows(DenoiserException.class, r);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
    return e;
  }
}
